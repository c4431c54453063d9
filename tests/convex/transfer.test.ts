// Zip import (ARCHITECTURE §7, archives): a good archive becomes a project with exactly its
// files in one checkpoint; every refused archive names its reason and creates nothing.
import { zipSync, type Zippable } from 'fflate';
import { describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { sha256Hex } from '../../convex/model/blobs';
import { LIMITS } from '../../src/lib/shared/limits';
import { buildProjectZip } from '../../src/lib/transfer/zip';
import { setup, signedIn, snapshotTables, type Test, expectRefused } from './setup';

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (zip: Uint8Array) => zip.slice().buffer as ArrayBuffer;

async function person() {
	const t = await setup();
	const me = await signedIn(t);
	const importZip = (zip: Uint8Array, name = 'Imported') =>
		me.as.mutation(api.transfer.importZip, { name, zip: bytes(zip) });
	return { t, me, importZip };
}

async function filesOf(t: Test, projectId: Id<'projects'>) {
	return await t.run(async (ctx) => {
		const rows = await ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId))
			.collect();
		return Object.fromEntries(rows.map((r) => [r.path, r.hash]));
	});
}

describe('importZip', () => {
	test('a small archive becomes a project with exactly its files in one checkpoint', async () => {
		const { t, me, importZip } = await person();
		const projectId = await importZip(
			zipSync({
				'app-main/': {},
				'app-main/README.md': enc('# App\n'),
				'app-main/src/a.ts': enc('x')
			} as Zippable),
			'My import'
		);
		expect(await filesOf(t, projectId)).toEqual({
			'README.md': await sha256Hex('# App\n'),
			'src/a.ts': await sha256Hex('x')
		});
		const project = await me.as.query(api.projects.get, { projectId });
		expect(project).toMatchObject({ name: 'My import', fileCount: 2, origin: { kind: 'blank' } });
		const checkpoints = await t.run((ctx) =>
			ctx.db
				.query('checkpoints')
				.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId))
				.collect()
		);
		expect(checkpoints).toHaveLength(1);
		expect(checkpoints[0]).toMatchObject({ kind: 'create', message: 'Imported from zip' });
	});

	test("importing a project's export gives identical file hashes", async () => {
		const { t, me, importZip } = await person();
		const templates = await me.as.query(api.templates.list, {});
		const source = await me.as.mutation(api.projects.create, { templateId: templates[0].id });
		const meta = await me.as.query(api.files.list, { projectId: source });
		const hashes = [...new Set(meta.map((f) => f.hash))];
		const contents = new Map<string, string>();
		for (let i = 0; i < hashes.length; i += LIMITS.hashesPerRead) {
			const batch = hashes.slice(i, i + LIMITS.hashesPerRead);
			for (const blob of await me.as.query(api.files.read, { projectId: source, hashes: batch })) {
				contents.set(blob.hash, blob.content);
			}
		}
		const zip = buildProjectZip(
			meta.map((f) => ({ path: f.path, content: contents.get(f.hash)! }))
		);
		const blobsBefore = (await snapshotTables(t)).blobs.length;
		const copy = await importZip(zip);
		expect(await filesOf(t, copy)).toEqual(await filesOf(t, source));
		// Identical content is stored once.
		expect((await snapshotTables(t)).blobs.length).toBe(blobsBefore);
	});

	test('a zip bomb is refused TOO_LARGE before inflating', async () => {
		const { t, importZip } = await person();
		const bomb = zipSync({ 'zeros.txt': new Uint8Array(20 * 1024 * 1024) });
		expect(bomb.length).toBeLessThan(100 * 1024);
		await expectRefused(t, 'TOO_LARGE', () => importZip(bomb));
	});

	test('an entry whose header understates its size is refused after bounded work', async () => {
		const { t, importZip } = await person();
		const zip = zipSync({ 'a.txt': new Uint8Array(400 * 1024).fill(65) });
		// Rewrite the declared uncompressed size (central directory, offset 24) to 10 bytes.
		const view = new DataView(zip.buffer);
		const central = zip.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
		view.setUint32(central + 24, 10, true);
		await expectRefused(t, 'TOO_LARGE', () => importZip(zip));
	});

	test.each(['../evil.txt', '/etc/x', 'a/../../b', 'node_modules/x.js', 'a\\..\\b.txt'])(
		'a path escaping the project (%s) is refused INVALID_PATH',
		async (path) => {
			const { t, importZip } = await person();
			await expectRefused(t, 'INVALID_PATH', () =>
				importZip(zipSync({ 'ok.txt': enc('ok'), [path]: enc('x') }))
			);
		}
	);

	test('too many files is refused TOO_MANY', async () => {
		const { t, importZip } = await person();
		const files: Zippable = {};
		for (let i = 0; i <= LIMITS.filesPerProject; i++) files[`f${i}.txt`] = enc('x');
		await expectRefused(t, 'TOO_MANY', () => importZip(zipSync(files, { level: 0 })));
	});

	test('an oversized file is refused TOO_LARGE', async () => {
		const { t, importZip } = await person();
		const big = new Uint8Array(LIMITS.fileBytes + 1).map((_, i) => 97 + (i % 26));
		await expectRefused(t, 'TOO_LARGE', () => importZip(zipSync({ 'big.txt': big })));
	});

	test('an oversized archive is refused TOO_LARGE', async () => {
		const { t, importZip } = await person();
		await expectRefused(t, 'TOO_LARGE', () => importZip(new Uint8Array(LIMITS.importZipBytes + 1)));
	});

	test('a binary file is refused, naming it', async () => {
		const { t, importZip } = await person();
		const error = await expectRefused(t, 'INVALID_ARGUMENT', () =>
			importZip(zipSync({ 'a.txt': enc('fine'), 'logo.png': new Uint8Array([137, 80, 0, 1]) }))
		);
		expect(error.message).toContain('logo.png');
	});

	test('duplicate paths and an empty archive are refused', async () => {
		const { t, importZip } = await person();
		await expectRefused(t, 'INVALID_PATH', () =>
			importZip(zipSync({ 'a/b.txt': enc('1'), 'a/b.txt/c': enc('2') }))
		);
		await expectRefused(t, 'INVALID_ARGUMENT', () =>
			importZip(zipSync({ 'dir/': {} } as Zippable))
		);
	});

	test('signed out is UNAUTHENTICATED', async () => {
		const { t } = await person();
		await expectRefused(t, 'UNAUTHENTICATED', () =>
			t.mutation(api.transfer.importZip, { name: 'x', zip: bytes(zipSync({ 'a.txt': enc('a') })) })
		);
	});
});
