import { expect, test } from 'vitest';
import { buildTree } from '../../src/lib/workbench/tree';

test('folders come first, then files, each by name; empty folders show', () => {
	const tree = buildTree(['src/b.ts', 'README.md', 'src/lib/a.ts', 'src/a.ts'], ['docs']);
	const names = (nodes: ReturnType<typeof buildTree>): unknown =>
		nodes.map((n) => (n.kind === 'folder' ? { [n.name]: names(n.children) } : n.name));
	expect(names(tree)).toEqual([
		{ docs: [] },
		{ src: [{ lib: ['a.ts'] }, 'a.ts', 'b.ts'] },
		'README.md'
	]);
	expect(tree[1].children[0].path).toBe('src/lib');
});
