// The archive format on its own: what export writes is what import reads back.
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import {
	buildProjectZip,
	EXPORT_README,
	EXPORT_README_PATH,
	readProjectZip
} from '../../src/lib/transfer/zip';

const files = [
	{ path: 'src/app.ts', content: 'export const x = 1;\n' },
	{ path: 'README.md', content: '# Hi ✓\n' },
	{ path: 'empty.txt', content: '' }
];

describe('buildProjectZip', () => {
	test('holds exactly the files plus the run instructions', () => {
		const unzipped = unzipSync(buildProjectZip(files));
		const decoder = new TextDecoder();
		expect(Object.keys(unzipped).sort()).toEqual(
			[...files.map((f) => f.path), EXPORT_README_PATH].sort()
		);
		for (const f of files) expect(decoder.decode(unzipped[f.path])).toBe(f.content);
		expect(decoder.decode(unzipped[EXPORT_README_PATH])).toContain('npx convex dev');
	});

	test('is deterministic, and keeps a project file that has the readme path', () => {
		expect(buildProjectZip(files)).toEqual(buildProjectZip([...files].reverse()));
		const own = [{ path: EXPORT_README_PATH, content: 'mine' }];
		const unzipped = unzipSync(buildProjectZip(own));
		expect(new TextDecoder().decode(unzipped[EXPORT_README_PATH])).toBe('mine');
	});

	test('round trips through readProjectZip, dropping only the generated readme', () => {
		const read = readProjectZip(buildProjectZip(files));
		expect(read.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
			[...files].sort((a, b) => a.path.localeCompare(b.path))
		);
		expect(EXPORT_README.length).toBeGreaterThan(100);
	});
});

describe('readProjectZip', () => {
	const enc = (s: string) => new TextEncoder().encode(s);

	test('strips one common top-level folder and skips directories', () => {
		const zip = zipSync({
			'repo-main/': new Uint8Array(),
			'repo-main/a.txt': enc('a'),
			'repo-main/b/c.txt': enc('c')
		});
		expect(readProjectZip(zip).map((f) => f.path)).toEqual(['a.txt', 'b/c.txt']);
	});

	test('stored (uncompressed) entries and a BOM survive', () => {
		const zip = zipSync({ 'a.txt': enc('\uFEFFhello') }, { level: 0 });
		expect(readProjectZip(zip)).toEqual([{ path: 'a.txt', content: '\uFEFFhello' }]);
	});

	test.each([
		['binary', zipSync({ 'x.bin': new Uint8Array([1, 0, 2]) }), 'INVALID_ARGUMENT'],
		['invalid UTF-8', zipSync({ 'x.txt': new Uint8Array([0xff, 0xfe, 0x41]) }), 'INVALID_ARGUMENT'],
		['not a zip', enc('hello'), 'INVALID_ARGUMENT'],
		['escaping path', zipSync({ '../evil.txt': enc('x') }), 'INVALID_PATH']
	])('refuses %s', (_, zip, code) => {
		expect(() => readProjectZip(zip)).toThrow(expect.objectContaining({ code }));
	});
});
