// Turns flat file paths into a folder tree: folders first, then files, each sorted by name.

export interface TreeNode {
	name: string;
	path: string;
	kind: 'file' | 'folder';
	children: TreeNode[];
}

export function buildTree(filePaths: Iterable<string>, emptyFolders: Iterable<string> = []) {
	const root: TreeNode = { name: '', path: '', kind: 'folder', children: [] };
	const folders = new Map<string, TreeNode>([['', root]]);

	const folder = (path: string): TreeNode => {
		const existing = folders.get(path);
		if (existing) return existing;
		const slash = path.lastIndexOf('/');
		const parent = folder(slash === -1 ? '' : path.slice(0, slash));
		const node: TreeNode = { name: path.slice(slash + 1), path, kind: 'folder', children: [] };
		parent.children.push(node);
		folders.set(path, node);
		return node;
	};

	for (const path of emptyFolders) folder(path);
	for (const path of filePaths) {
		const slash = path.lastIndexOf('/');
		folder(slash === -1 ? '' : path.slice(0, slash)).children.push({
			name: path.slice(slash + 1),
			path,
			kind: 'file',
			children: []
		});
	}
	const sort = (node: TreeNode) => {
		node.children.sort((a, b) =>
			a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1
		);
		node.children.forEach(sort);
	};
	sort(root);
	return root.children;
}
