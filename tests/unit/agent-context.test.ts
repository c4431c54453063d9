import { expect, test } from 'vitest';
import { CONTEXT_BUDGET, fileIndex, projectContext } from '../../convex/agent/context';

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
