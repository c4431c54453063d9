import { expect, test } from 'vitest';
import {
	CONTEXT_BUDGET,
	fileIndex,
	historyDigest,
	projectContext
} from '../../convex/agent/context';

const project = (n: number) =>
	Array.from({ length: n }, (_, i) => ({
		path: i < 4 ? `file${i}.ts` : `src/lib/components/part${Math.floor(i / 10)}/file${i}.svelte`,
		size: 1000 + i
	}));

test('a small project is listed in full', () => {
	const index = fileIndex(project(20));
	expect(index.split('\n')).toHaveLength(20);
	expect(index).toContain('src/lib/components/part1/file12.svelte (1012 B)');
});

test('a large project folds folders into counts and stays within the budget', () => {
	const index = fileIndex(project(200));
	expect(index.length).toBeLessThanOrEqual(CONTEXT_BUDGET.indexChars);
	expect(index).toContain('file0.ts (1000 B)');
	expect(index).toMatch(/src\/lib\/components\/part\d+\/ \(10 files\)/);
	// Every file is still accounted for.
	const counted = index
		.split('\n')
		.reduce((n, l) => n + (l.match(/\((\d+) files\)/) ? Number(RegExp.$1) : 1), 0);
	expect(counted).toBe(200);
});

test('the context of a project of any size stays within the index budget plus its header', () => {
	for (const n of [20, 200, 2000]) {
		expect(projectContext(project(n), []).length).toBeLessThanOrEqual(
			CONTEXT_BUDGET.indexChars + 150
		);
	}
});

test('recent files are included, bounded and truncated with a note', () => {
	const text = projectContext(project(5), [
		{ path: 'a.ts', content: 'x'.repeat(CONTEXT_BUDGET.recentFileChars + 50) },
		{ path: 'b.ts', content: 'short' },
		{ path: 'c.ts', content: 'c' },
		{ path: 'd.ts', content: 'never shown' }
	]);
	expect(text).toContain('Recently changed file a.ts');
	expect(text).toContain('(truncated; use read_file)');
	expect(text).toContain('Recently changed file c.ts');
	expect(text).not.toContain('d.ts');
});

test('older turns become a digest of requests and file changes, newest kept within budget', () => {
	expect(historyDigest([])).toBeNull();
	const digest = historyDigest([
		{ role: 'user', content: 'Make a todo app' },
		{
			role: 'assistant',
			content: [
				{ type: 'text', text: 'Sure.' },
				{ type: 'tool-call', toolName: 'write_file', input: { path: 'src/todo.ts' } },
				{ type: 'tool-call', toolName: 'read_file', input: { path: 'x' } },
				{ type: 'tool-call', toolName: 'rename_file', input: { from: 'a.ts', to: 'b.ts' } }
			]
		},
		{ role: 'tool', content: [] },
		{ role: 'user', content: [{ type: 'text', text: 'Add   due dates' }] }
	])!;
	expect(digest.split('\n')).toEqual([
		'Earlier in this session (a digest of turns no longer shown in full):',
		'- Asked: Make a todo app',
		'  - wrote src/todo.ts',
		'  - renamed a.ts → b.ts',
		'- Asked: Add due dates'
	]);
	const long = historyDigest(
		Array.from({ length: 100 }, (_, i) => ({ role: 'user', content: `request number ${i}` }))
	)!;
	expect(long.length).toBeLessThan(1700);
	expect(long).toContain('request number 99');
	expect(long).not.toContain('request number 0\n');
	expect(long).toMatch(/\(\d+ older lines omitted\)/);
});
