import { describe, expect, test } from 'vitest';
import { applySearchReplace, nearestWindow } from '../../src/lib/shared/agent/edit';
import { readLines } from '../../src/lib/shared/agent/read';
import { searchFiles } from '../../src/lib/shared/agent/search';

const file = [
	"import { query } from './_generated/server';",
	'',
	'export const list = query({',
	'\targs: {},',
	'\thandler: async (ctx) => {',
	"\t\treturn await ctx.db.query('ideas').order('desc').take(50);",
	'\t}',
	'});',
	'',
	'export const count = query({',
	'\targs: {},',
	'\thandler: async (ctx) => {',
	"\t\treturn (await ctx.db.query('ideas').collect()).length;",
	'\t}',
	'});',
	''
].join('\n');

describe('applySearchReplace', () => {
	test('applies edits in order, each to the text the previous one left', () => {
		const result = applySearchReplace(file, [
			{ search: '.take(50)', replace: '.take(100)' },
			{ search: 'take(100);', replace: 'take(100); // newest first' }
		]);
		expect(result).toEqual({
			ok: true,
			content: file.replace('.take(50);', '.take(100); // newest first'),
			removedLines: 2,
			addedLines: 2
		});
	});

	test('replacement text is literal: "$&" is not a pattern', () => {
		const result = applySearchReplace('a = 1;\n', [{ search: '1', replace: '$& + $1' }]);
		expect(result).toMatchObject({ ok: true, content: 'a = $& + $1;\n' });
	});

	test('a missing search text names the edit and shows the nearest lines, numbered', () => {
		const result = applySearchReplace(file, [
			{ search: 'export const list', replace: 'export const all' },
			{
				search:
					"\thandler: async (ctx) => {\n\t\treturn await ctx.db.query('ideas').take(50);\n\t}",
				replace: ''
			}
		]);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toMatch(/^Edit 2 of 2: the search text was not found/);
		expect(result.error).toContain('No changes were made');
		expect(result.error).toContain('lines 5-7');
		expect(result.error).toContain(
			"6\t\t\treturn await ctx.db.query('ideas').order('desc').take(50);"
		);
		// Three lines of context either side of the window.
		expect(result.error).toContain('2\t\n');
		expect(result.error).toContain('10\texport const count = query({');
		expect(result.error).not.toMatch(/^\s*11\t/m);
		expect(result.error).toContain('The first difference: line 6 of the file');
		expect(result.error).toContain('as edits 1-1 left the file');
	});

	test('a search text that differs only in indentation says so', () => {
		const result = applySearchReplace(file, [
			{
				search:
					"  args: {},\n  handler: async (ctx) => {\n    return (await ctx.db.query('ideas').collect()).length;",
				replace: ''
			}
		]);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toContain(
			'Lines 11-13 match if leading and trailing whitespace is ignored'
		);
	});

	test('nothing similar: the error says so instead of showing noise', () => {
		const result = applySearchReplace(file, [{ search: 'zzzz qqqq wwww', replace: '' }]);
		expect(result).toMatchObject({ ok: false });
		if (result.ok) return;
		expect(result.error).toContain('Nothing in the file resembles it');
	});

	test('several matches: the error gives the count and the lines', () => {
		const result = applySearchReplace(file, [
			{ search: '\targs: {},', replace: '\targs: { n: v.number() },' }
		]);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toContain('matches 2 times');
		expect(result.error).toContain('at lines 4 and 11');
		expect(result.error).toContain('Add surrounding lines');
	});

	test('one failing edit among several returns no content at all', () => {
		const result = applySearchReplace(file, [
			{ search: 'export const list', replace: 'export const all' },
			{ search: 'does not exist', replace: 'x' },
			{ search: 'export const count', replace: 'export const total' }
		]);
		expect(result).toEqual({ ok: false, error: expect.stringMatching(/^Edit 2 of 3/) });
	});

	test('empty search text and empty edit list are refused', () => {
		expect(applySearchReplace(file, [])).toMatchObject({ ok: false });
		expect(applySearchReplace(file, [{ search: '', replace: 'x' }])).toMatchObject({
			ok: false,
			error: expect.stringContaining('empty search text')
		});
	});

	test('nearestWindow finds the shifted block in a large file quickly', () => {
		const lines = Array.from({ length: 20000 }, (_, i) => `const value${i} = compute(${i});`);
		const search = ['const value12345 = compute(12345);', 'const value12346 = compute(99);'];
		const started = performance.now();
		expect(nearestWindow(lines, search)).toEqual({ start: 12345, length: 2 });
		expect(performance.now() - started).toBeLessThan(2000);
	});
});

describe('readLines', () => {
	const content = 'one\ntwo\nthree\nfour\n';
	test('numbers every line; a trailing newline is not a line', () => {
		expect(readLines(content)).toEqual({
			text: '1\tone\n2\ttwo\n3\tthree\n4\tfour',
			startLine: 1,
			endLine: 4,
			totalLines: 4,
			note: undefined
		});
	});
	test('a range past the end is clamped with a note', () => {
		const r = readLines(content, { startLine: 3, endLine: 10 });
		expect(r.text).toBe('3\tthree\n4\tfour');
		expect(r.note).toContain('lowered to 4');
		expect(readLines(content, { startLine: 9 }).note).toContain('past the end');
	});
});

describe('searchFiles', () => {
	const files = [
		{ path: 'src/a.ts', content: 'const a = 1;\nconst b = 2;\n' },
		{ path: 'src/b.svelte', content: '<p>const</p>\n' }
	];
	test('results are path:line: text, bounded', () => {
		const r = searchFiles(files, { query: 'const', maxResults: 2 });
		expect(r).toEqual({
			ok: true,
			matches: ['src/a.ts:1: const a = 1;', 'src/a.ts:2: const b = 2;'],
			filesSearched: 2,
			truncated: true
		});
	});
	test('long lines are cut around the match', () => {
		const long = [{ path: 'x.js', content: `${'a'.repeat(1000)}NEEDLE${'b'.repeat(1000)}` }];
		const r = searchFiles(long, { query: 'NEEDLE' });
		if (!r.ok) throw new Error(r.error);
		expect(r.matches[0]).toContain('NEEDLE');
		expect(r.matches[0].length).toBeLessThan(230);
	});
});
