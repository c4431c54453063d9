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

export interface PastMessage {
	role: string;
	content: unknown;
}

const DIGEST_CHARS = 1500;
const CHANGE_TOOLS: Record<string, string> = {
	write_file: 'wrote',
	edit_file: 'edited',
	delete_file: 'deleted',
	rename_file: 'renamed'
};

/**
 * A digest of turns older than the recent window, oldest first: what was asked and which
 * files each turn changed. It keeps the thread of a long session without resending it, and
 * costs no model call. Newest entries win when the digest is over its budget.
 */
export function historyDigest(older: PastMessage[]): string | null {
	const lines: string[] = [];
	for (const message of older) {
		if (message.role === 'user') {
			const text = textOf(message.content).replace(/\s+/g, ' ').trim();
			if (text) lines.push(`- Asked: ${text.length > 160 ? `${text.slice(0, 159)}…` : text}`);
		} else if (message.role === 'assistant' && Array.isArray(message.content)) {
			for (const part of message.content as {
				type?: string;
				toolName?: string;
				input?: unknown;
			}[]) {
				const verb =
					part.type === 'tool-call' && part.toolName ? CHANGE_TOOLS[part.toolName] : null;
				const input = (part.input ?? {}) as { path?: string; from?: string; to?: string };
				if (verb) lines.push(`  - ${verb} ${input.path ?? `${input.from} → ${input.to}`}`);
			}
		}
	}
	if (lines.length === 0) return null;
	let kept = lines;
	while (kept.join('\n').length > DIGEST_CHARS && kept.length > 1) kept = kept.slice(1);
	const dropped = lines.length - kept.length;
	return [
		'Earlier in this session (a digest of turns no longer shown in full):',
		...(dropped > 0 ? [`  (${dropped} older lines omitted)`] : []),
		...kept
	].join('\n');
}

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((p: { type?: string; text?: string }) => (p.type === 'text' ? (p.text ?? '') : ''))
		.join(' ');
}
