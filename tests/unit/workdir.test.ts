// A project's work dir on disk: whether it holds exactly a list of files, as the local runtime
// checks before it runs a reopened project without sending its files again.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { holdsExactly, mountFiles } from '../../src/lib/server/runtime/workdir';

const dirs: string[] = [];
afterEach(async () => {
	await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const FILES = [
	{ path: 'package.json', content: '{"name":"app"}' },
	{ path: 'src/routes/+page.svelte', content: '<h1>Héllo</h1>\n' }
];
const HASHES = FILES.map((f) => ({ path: f.path, hash: sha256(f.content) }));

test('a work dir holds exactly the files it was mounted with, besides installed folders', async () => {
	const work = await mkdtemp(join(tmpdir(), 'workdir-'));
	dirs.push(work);
	expect(await holdsExactly(join(work, 'missing'), HASHES)).toBe(false);
	await mountFiles(work, FILES);
	await mkdir(join(work, 'node_modules', 'left-pad'), { recursive: true });
	await writeFile(join(work, 'node_modules', 'left-pad', 'index.js'), '');
	await mkdir(join(work, '.svelte-kit'), { recursive: true });
	await writeFile(join(work, '.svelte-kit', 'tsconfig.json'), '{}');
	expect(await holdsExactly(work, HASHES)).toBe(true);
});

test('a changed, missing or extra file means the work dir does not hold the list', async () => {
	const work = await mkdtemp(join(tmpdir(), 'workdir-'));
	dirs.push(work);
	await mountFiles(work, FILES);

	await writeFile(join(work, 'src/routes/+page.svelte'), '<h1>Changed on disk</h1>\n');
	expect(await holdsExactly(work, HASHES)).toBe(false);
	await mountFiles(work, FILES);

	await writeFile(join(work, 'src/extra.ts'), 'export {};\n');
	expect(await holdsExactly(work, HASHES)).toBe(false);
	await mountFiles(work, FILES);
	expect(await holdsExactly(work, HASHES)).toBe(true);

	await rm(join(work, 'package.json'));
	expect(await holdsExactly(work, HASHES)).toBe(false);
	expect(await holdsExactly(work, [...HASHES, { path: 'README.md', hash: sha256('') }])).toBe(
		false
	);
});

test('a listed path that would leave the work dir is refused', async () => {
	const work = await mkdtemp(join(tmpdir(), 'workdir-'));
	dirs.push(work);
	await expect(holdsExactly(work, [{ path: '../outside', hash: sha256('') }])).rejects.toThrow();
});
