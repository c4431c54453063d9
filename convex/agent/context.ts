// What the agent is told about the project at the start of each run, after the stable
// instructions: an index of the files and the text of the files changed most recently.
// Both are bounded, so a large project costs about as many tokens as a small one: past the
// budget, folders collapse into "folder/ (N files)" lines, deepest and biggest first, and
// the agent lists or reads what it needs with its tools. Framework-free.

export interface IndexedFile {
	path: string;
	size: number;
}

export interface RecentFile {
	path: string;
	content: string;
}

export const CONTEXT_BUDGET = {
	/** Characters of the file index. */
	indexChars: 1600,
	/** Files whose text is included, most recently changed first. */
	recentFiles: 3,
	/** Characters of each recent file's text. */
	recentFileChars: 2000
};

type Entry =
	{ kind: 'file'; path: string; size: number } | { kind: 'folder'; path: string; count: number };

function line(entry: Entry): string {
	return entry.kind === 'file'
		? `${entry.path} (${entry.size} B)`
		: `${entry.path}/ (${entry.count} files)`;
}

/** The file index within `budget` characters, collapsing folders until it fits. */
export function fileIndex(files: IndexedFile[], budget = CONTEXT_BUDGET.indexChars): string {
	let entries: Entry[] = [...files]
		.sort((a, b) => a.path.localeCompare(b.path))
		.map((f) => ({ kind: 'file', path: f.path, size: f.size }));
	const length = () => entries.reduce((n, e) => n + line(e).length + 1, 0);
	while (length() > budget) {
		// The folder to collapse next: deepest first, then the one holding most entries.
		const counts = new Map<string, number>();
		for (const e of entries) {
			const slash = e.path.lastIndexOf('/');
			if (slash === -1) continue;
			const folder = e.path.slice(0, slash);
			counts.set(folder, (counts.get(folder) ?? 0) + 1);
		}
		if (counts.size === 0) break; // only top-level files left: nothing more to fold
		const depth = (p: string) => p.split('/').length;
		const [folder] = [...counts].sort(
			([a, na], [b, nb]) => depth(b) - depth(a) || nb - na || a.localeCompare(b)
		)[0];
		const inside = (e: Entry) => e.path.startsWith(folder + '/');
		const count = entries.filter(inside).reduce((n, e) => n + (e.kind === 'file' ? 1 : e.count), 0);
		entries = [
			...entries.filter((e) => !inside(e)),
			{ kind: 'folder' as const, path: folder, count }
		].sort((a, b) => a.path.localeCompare(b.path));
	}
	let text = entries.map(line).join('\n');
	if (text.length > budget) text = `${text.slice(0, budget - 30)}\n… (use list_files for more)`;
	return text;
}

/** The message placed after the instructions: file index and recently changed files. */
export function projectContext(files: IndexedFile[], recent: RecentFile[]): string {
	const parts = [
		`The project has ${files.length} files. Index (folders with counts are collapsed; use list_files to see inside):`,
		fileIndex(files)
	];
	for (const file of recent.slice(0, CONTEXT_BUDGET.recentFiles)) {
		const text =
			file.content.length > CONTEXT_BUDGET.recentFileChars
				? `${file.content.slice(0, CONTEXT_BUDGET.recentFileChars)}\n… (truncated; use read_file)`
				: file.content;
		parts.push(`Recently changed file ${file.path}:\n\`\`\`\n${text}\n\`\`\``);
	}
	return parts.join('\n\n');
}
