// The local runtime runs a project's dev script itself, as `npm run dev -- <args>` would.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { npmScript } from '../../src/lib/server/runtime/npmScript';

const dirs: string[] = [];
afterEach(async () => {
	await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function workDir(scripts: Record<string, string>) {
	const dir = await mkdtemp(join(tmpdir(), 'npm-script-'));
	dirs.push(dir);
	await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', scripts }));
	return dir;
}

test('the script runs with its arguments, one shell word each, and node_modules/.bin first', async () => {
	const dir = await workDir({ dev: 'echo dev' });
	const script = await npmScript(dir, 'dev', ['--port', '5173', "it's one word"]);
	expect(script.command).toBe(`echo dev --port 5173 'it'\\''s one word'`);
	expect(script.env.PATH.split(':')[0]).toBe(join(dir, 'node_modules', '.bin'));
	expect(script.env.npm_lifecycle_event).toBe('dev');
	expect(script.script).toBe('echo dev');
	const printed = execFileSync('sh', ['-c', script.command], {
		env: { ...process.env, ...script.env }
	});
	expect(printed.toString()).toBe("dev --port 5173 it's one word\n");
});

test('pre and post scripts, a missing script or an unreadable package.json are left to npm', async () => {
	const expected = 'npm run dev -- --port 5173';
	const cases: Record<string, string>[] = [
		{ predev: 'echo first', dev: 'vite dev' },
		{ postdev: 'x', dev: 'y' },
		{}
	];
	for (const scripts of cases) {
		const script = await npmScript(await workDir(scripts), 'dev', ['--port', '5173']);
		expect(script).toEqual({ command: expected, env: {}, script: null });
	}
	const broken = await mkdtemp(join(tmpdir(), 'npm-script-'));
	dirs.push(broken);
	await writeFile(join(broken, 'package.json'), '{ not json');
	expect((await npmScript(broken, 'dev', ['--port', '5173'])).command).toBe(expected);
});
