// Warm dev server processes: a Node process with Vite loaded ahead that becomes a project's
// `vite dev` when taken, in the project's folder and with its environment.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { freePort, waitForHttp } from '../../src/lib/server/runtime/ports';
import {
	dropWarmVite,
	prepareWarmVite,
	stopWarmVites,
	takeWarmVite,
	viteDevArgs,
	warmViteCount
} from '../../src/lib/server/runtime/warmVite';

const dirs: string[] = [];
afterAll(async () => {
	await stopWarmVites();
	await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A dependency cache holding the builder's own Vite, and a plain Vite project beside it. */
async function cacheAndProject() {
	const root = await mkdtemp(join(tmpdir(), 'warm-vite-'));
	dirs.push(root);
	const cacheDir = join(root, 'deps', 'key');
	await mkdir(join(cacheDir, 'node_modules'), { recursive: true });
	await symlink(resolve('node_modules/vite'), join(cacheDir, 'node_modules', 'vite'));
	const workDir = join(root, 'projects', 'p1');
	await mkdir(join(workDir, 'node_modules'), { recursive: true });
	await symlink(join(cacheDir, 'node_modules', 'vite'), join(workDir, 'node_modules', 'vite'));
	// Vite puts VITE_ variables of the environment into index.html.
	await writeFile(join(workDir, 'index.html'), '<p>project p1 talks to %VITE_CONVEX_URL%</p>\n');
	await writeFile(join(workDir, 'vite.config.mjs'), 'export default {};\n');
	return { cacheDir, workDir };
}

test('only plain `vite` or `vite dev` scripts, with their own arguments, can run warm', () => {
	expect(viteDevArgs('vite')).toEqual(['dev']);
	expect(viteDevArgs('vite dev')).toEqual(['dev']);
	expect(viteDevArgs(' vite dev --open=false ')).toEqual(['dev', '--open=false']);
	expect(viteDevArgs('vite serve --mode staging')).toEqual(['dev', '--mode', 'staging']);
	expect(viteDevArgs('vite build')).toBeNull();
	expect(viteDevArgs('vite dev && echo done')).toBeNull();
	expect(viteDevArgs('convex dev & vite')).toBeNull();
	expect(viteDevArgs("vite dev --base '/a b'")).toBeNull();
});

test(
	'a taken warm process serves the project from its folder with its environment',
	{ timeout: 60_000 },
	async () => {
		const { cacheDir, workDir } = await cacheAndProject();
		const port = await freePort();
		expect(
			takeWarmVite(cacheDir, { workDir, args: ['dev'], env: {}, onOutput: () => undefined })
		).toBeNull();

		await prepareWarmVite(cacheDir);
		await prepareWarmVite(cacheDir);
		expect(warmViteCount()).toBe(1);
		await expect(readFile(join(cacheDir, 'warm-vite-preload.mjs'), 'utf8')).resolves.toContain(
			`import("vite")`
		);

		let output = '';
		const dev = takeWarmVite(cacheDir, {
			workDir,
			args: ['dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
			env: { VITE_CONVEX_URL: 'http://127.0.0.1:9999' },
			onOutput: (text) => (output += text)
		});
		expect(dev).not.toBeNull();
		expect(warmViteCount()).toBe(0);
		try {
			await waitForHttp(`http://127.0.0.1:${port}/`, 30_000);
			const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
			expect(page).toContain('project p1 talks to http://127.0.0.1:9999');
			expect(output).toContain('ready in');
			// Named after what it runs, so `ps` (and pkill) see a dev server.
			const listed = execFileSync('ps', ['-eo', 'args']).toString();
			expect(listed).toContain(`vite dev --host 127.0.0.1 --port ${port}`);
		} finally {
			await dev!.kill();
		}
		// Taken once: the next start of these dependencies finds none until one is prepared.
		expect(
			takeWarmVite(cacheDir, { workDir, args: ['dev'], env: {}, onOutput: () => undefined })
		).toBeNull();
	}
);

test('a warm process that died is not handed out', { timeout: 30_000 }, async () => {
	const { cacheDir, workDir } = await cacheAndProject();
	await prepareWarmVite(cacheDir);
	// Named after the cache it waits for, once it runs.
	const title = `^vite \\(warm\\) ${cacheDir}$`;
	await expect.poll(() => spawnSync('pgrep', ['-f', title]).status, { timeout: 10_000 }).toBe(0);
	execFileSync('pkill', ['-KILL', '-f', title]);
	await expect.poll(() => warmViteCount()).toBe(0);
	expect(
		takeWarmVite(cacheDir, { workDir, args: ['dev'], env: {}, onOutput: () => undefined })
	).toBeNull();
});

test('dependencies installed anew drop the warm process of their cache', async () => {
	const { cacheDir, workDir } = await cacheAndProject();
	await prepareWarmVite(cacheDir);
	expect(warmViteCount()).toBe(1);
	await dropWarmVite(cacheDir);
	expect(warmViteCount()).toBe(0);
	expect(
		takeWarmVite(cacheDir, { workDir, args: ['dev'], env: {}, onOutput: () => undefined })
	).toBeNull();
});
