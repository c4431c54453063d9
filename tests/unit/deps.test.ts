// The local runtime's dependency cache: a work dir links the cached packages, and keeps its
// own build caches (Vite's optimized dependencies) when it is linked again.
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
	dependencyKey,
	installDependencies,
	linkedDependencyKey
} from '../../src/lib/server/runtime/deps';

const dirs: string[] = [];
afterEach(async () => {
	await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test('a cached install is linked, and a relink keeps the work dir’s own caches', async () => {
	const root = await mkdtemp(join(tmpdir(), 'deps-root-'));
	const work = await mkdtemp(join(tmpdir(), 'deps-work-'));
	dirs.push(root, work);
	await writeFile(join(work, 'package.json'), '{"name":"app","dependencies":{"left-pad":"1.3.0"}}');
	// A finished install in the cache, as an earlier project left it.
	const cache = join(root, 'deps', await dependencyKey(work));
	await mkdir(join(cache, 'node_modules', 'left-pad'), { recursive: true });
	await writeFile(join(cache, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;');
	await writeFile(join(cache, '.install-complete'), '');

	const output: string[] = [];
	const options = { timeoutMs: 1_000, onOutput: (text: string) => output.push(text) };
	expect(await installDependencies(root, work, options)).toMatchObject({ cached: true });
	expect((await lstat(join(work, 'node_modules', 'left-pad'))).isSymbolicLink()).toBe(true);

	// Vite's cache of this work dir, then a relink (the runtime restarted after idling).
	await mkdir(join(work, 'node_modules', '.vite'), { recursive: true });
	await writeFile(join(work, 'node_modules', '.vite', '_svelte_metadata.json'), '{}');
	await writeFile(join(work, 'node_modules', 'stray.txt'), 'not from the cache');
	await installDependencies(root, work, options);
	expect(await readFile(join(work, 'node_modules', '.vite', '_svelte_metadata.json'), 'utf8')).toBe(
		'{}'
	);
	expect(existsSync(join(work, 'node_modules', 'stray.txt'))).toBe(false);
	expect((await lstat(join(work, 'node_modules', 'left-pad'))).isSymbolicLink()).toBe(true);
	expect(output.join('')).toContain('cached');
});

test('a work dir knows whether its links are for its current manifests', async () => {
	const root = await mkdtemp(join(tmpdir(), 'deps-root-'));
	const work = await mkdtemp(join(tmpdir(), 'deps-work-'));
	dirs.push(root, work);
	await writeFile(join(work, 'package.json'), '{"name":"app","dependencies":{}}');
	expect(await linkedDependencyKey(work)).toBeNull();
	const key = await dependencyKey(work);
	const cache = join(root, 'deps', key);
	await mkdir(join(cache, 'node_modules'), { recursive: true });
	await writeFile(join(cache, '.install-complete'), '');
	await installDependencies(root, work, { timeoutMs: 1_000, onOutput: () => undefined });
	expect(await linkedDependencyKey(work)).toBe(key);

	// A dependency added while nothing ran: the links are stale.
	await writeFile(join(work, 'package.json'), '{"name":"app","dependencies":{"left-pad":"1.3.0"}}');
	expect(await linkedDependencyKey(work)).toBeNull();
});
