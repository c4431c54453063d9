// Exact search/replace edits for the agent: all or nothing, each search text must match
// exactly once. Failures are written for a language model to act on: which edit failed, and
// the file's real text where the search was meant to land. Pure (convex/ imports it).
import { numberLines, splitLines } from './read';

export interface SearchReplace {
	search: string;
	replace: string;
}

export type EditResult =
	| {
			ok: true;
			content: string;
			/** Lines taken out and put in, after trimming lines each edit left as they were. */
			removedLines: number;
			addedLines: number;
	  }
	| { ok: false; error: string };

export interface EditOptions {
	/** Named in error messages. */
	path?: string;
}

/** Lines of context shown around the nearest match. */
const CONTEXT_LINES = 3;
/** The nearest match shown is cut to this many lines, however long the search text. */
const MAX_SHOWN_LINES = 40;
/** Line numbers listed for an ambiguous search text. */
const MAX_LISTED_MATCHES = 10;

/**
 * Applies `edits` in order, each to the text the previous ones produced. Returns the new
 * content, or the first failure and no content at all.
 */
export function applySearchReplace(
	content: string,
	edits: readonly SearchReplace[],
	options: EditOptions = {}
): EditResult {
	if (edits.length === 0) return { ok: false, error: 'No edits given: pass at least one.' };
	const where = options.path ? ` in ${options.path}` : '';
	let text = content;
	let removedLines = 0;
	let addedLines = 0;
	for (const [i, edit] of edits.entries()) {
		const label = edits.length > 1 ? `Edit ${i + 1} of ${edits.length}` : 'The edit';
		// After edit 1, line numbers refer to the text earlier edits produced, not the file.
		const state = i > 0 ? ` (line numbers are as edits 1-${i} left the file)` : '';
		if (edit.search === '') {
			return {
				ok: false,
				error: `${label} has an empty search text. No changes were made. Give text that occurs once${where}; to replace a whole file, write it instead.`
			};
		}
		const found = occurrences(text, edit.search);
		if (found.length === 0) {
			return { ok: false, error: `${label}: ${notFound(text, edit.search, where, state)}` };
		}
		if (found.length > 1) {
			const lines = found.slice(0, MAX_LISTED_MATCHES).map((at) => lineOf(text, at));
			const more = found.length > MAX_LISTED_MATCHES ? ', …' : '';
			return {
				ok: false,
				error:
					`${label}: the search text matches ${found.length} times${where}, at lines ` +
					`${listNumbers(lines)}${more}${state}; it must match exactly once. No changes were ` +
					`made. Add surrounding lines to the search text so it identifies one place.`
			};
		}
		const at = found[0];
		text = text.slice(0, at) + edit.replace + text.slice(at + edit.search.length);
		const changed = changedLines(edit.search, edit.replace);
		removedLines += changed.removed;
		addedLines += changed.added;
	}
	return { ok: true, content: text, removedLines, addedLines };
}

/** Start offsets of every occurrence, overlapping ones included (both would be ambiguous). */
function occurrences(text: string, search: string): number[] {
	const found: number[] = [];
	for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) {
		found.push(at);
	}
	return found;
}

function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
	return line;
}

function listNumbers(numbers: number[]): string {
	if (numbers.length === 1) return String(numbers[0]);
	return `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/** Lines an edit really changes: search and replace minus the lines they share at both ends. */
function changedLines(search: string, replace: string) {
	const a = search.split('\n');
	const b = replace.split('\n');
	let head = 0;
	while (head < a.length && head < b.length && a[head] === b[head]) head++;
	let tail = 0;
	while (
		tail < a.length - head &&
		tail < b.length - head &&
		a[a.length - 1 - tail] === b[b.length - 1 - tail]
	) {
		tail++;
	}
	return { removed: a.length - head - tail, added: b.length - head - tail };
}

// ---------------------------------------------------------------------------------------------
// The nearest match, for a search text that is not in the file.

function notFound(text: string, search: string, where: string, state: string): string {
	const fileLines = splitLines(text);
	const searchLines = splitLines(search);
	const advice =
		'Copy the search text exactly from the current file, including indentation and ' +
		'punctuation (read the file again if unsure), and retry.';
	const head = `the search text was not found${where}. No changes were made.`;
	const nearest = nearestWindow(fileLines, searchLines);
	if (!nearest) {
		return `${head} Nothing in the file resembles it. Read the file to see its current content. ${advice}`;
	}
	const { start, length } = nearest;
	const end = start + length; // exclusive
	const from = Math.max(0, start - CONTEXT_LINES);
	const to = Math.min(fileLines.length, end + CONTEXT_LINES, from + MAX_SHOWN_LINES);
	const shown = numberLines(fileLines.slice(from, to), from + 1);
	const cut = to < end + CONTEXT_LINES && to < fileLines.length ? '\n…' : '';
	const range = length === 1 ? `line ${start + 1}` : `lines ${start + 1}-${end}`;
	let detail = '';
	const loose = whitespaceOnlyMatch(fileLines, searchLines);
	if (loose !== null) {
		detail = ` Lines ${loose + 1}-${loose + searchLines.length} match if leading and trailing whitespace is ignored: the indentation or line endings differ.`;
	} else {
		const diff = firstDifference(fileLines, searchLines, start);
		if (diff) {
			detail = ` The first difference: line ${diff.line} of the file is ${quote(diff.file)}, but the search text has ${quote(diff.search)}.`;
		}
	}
	return `${head} The most similar part of the file is ${range}${state}:\n${shown}${cut}\n${detail.trim()}${detail ? ' ' : ''}${advice}`;
}

function quote(line: string) {
	return JSON.stringify(line.length > 160 ? `${line.slice(0, 160)}…` : line);
}

/**
 * The window of the file (as long as the search text, or the whole file if shorter) whose
 * lines are most like the search text's, or null if nothing is alike. Lines that agree after
 * trimming vote for a window start, so the cost is about O(file + search) for ordinary
 * code; the best few candidates are then scored line by line.
 */
export function nearestWindow(
	fileLines: readonly string[],
	searchLines: readonly string[]
): { start: number; length: number } | null {
	if (fileLines.length === 0 || searchLines.length === 0) return null;
	const length = Math.min(searchLines.length, fileLines.length);
	const maxStart = fileLines.length - length;
	const clampStart = (s: number) => Math.min(Math.max(s, 0), maxStart);

	const byText = new Map<string, number[]>();
	fileLines.forEach((line, j) => {
		const key = line.trim();
		if (key === '') return;
		const list = byText.get(key);
		if (list) list.push(j);
		else byText.set(key, [j]);
	});
	const votes = new Map<number, number>();
	for (const [k, line] of searchLines.entries()) {
		const key = line.trim();
		// A line that occurs everywhere ('}', '') says little about where the text belongs.
		const hits = key === '' ? undefined : byText.get(key);
		if (!hits || hits.length > 50) continue;
		for (const j of hits) {
			const s = clampStart(j - k);
			votes.set(s, (votes.get(s) ?? 0) + 1);
		}
	}
	let candidates = [...votes.entries()]
		.sort((a, b) => b[1] - a[1] || a[0] - b[0])
		.slice(0, 8)
		.map(([s]) => s);
	if (candidates.length === 0) {
		// No line agrees exactly: anchor on the search line most like any file line.
		const anchor = longestIndex(searchLines);
		let best = -1;
		let bestScore = 0;
		for (const [j, line] of fileLines.entries()) {
			const score = similarity(searchLines[anchor], line);
			if (score > bestScore) {
				best = j;
				bestScore = score;
			}
		}
		if (best === -1 || bestScore < 0.4) return null;
		candidates = [clampStart(best - anchor)];
	}
	let best = candidates[0];
	let bestScore = -1;
	for (const s of candidates) {
		let score = 0;
		for (let k = 0; k < length; k++) score += similarity(searchLines[k], fileLines[s + k]);
		if (score > bestScore) {
			best = s;
			bestScore = score;
		}
	}
	return { start: best, length };
}

function longestIndex(lines: readonly string[]) {
	let best = 0;
	for (const [i, line] of lines.entries())
		if (line.trim().length > lines[best].trim().length) best = i;
	return best;
}

/** 0..1: how alike two lines are, by shared character pairs (Dice), whitespace-trimmed. */
export function similarity(a: string, b: string): number {
	const x = a.trim();
	const y = b.trim();
	if (x === y) return 1;
	if (x.length < 2 || y.length < 2) return 0;
	const pairs = new Map<string, number>();
	for (let i = 0; i < x.length - 1; i++) {
		const p = x.slice(i, i + 2);
		pairs.set(p, (pairs.get(p) ?? 0) + 1);
	}
	let shared = 0;
	for (let i = 0; i < y.length - 1; i++) {
		const p = y.slice(i, i + 2);
		const n = pairs.get(p);
		if (n) {
			shared++;
			pairs.set(p, n - 1);
		}
	}
	return (2 * shared) / (x.length - 1 + (y.length - 1));
}

/** Start of the single place where the lines agree once trimmed, or null. */
function whitespaceOnlyMatch(fileLines: readonly string[], searchLines: readonly string[]) {
	if (searchLines.length === 0 || searchLines.length > fileLines.length) return null;
	const want = searchLines.map((l) => l.trim());
	let found: number | null = null;
	for (let s = 0; s + want.length <= fileLines.length; s++) {
		if (fileLines[s].trim() !== want[0]) continue;
		let k = 1;
		while (k < want.length && fileLines[s + k].trim() === want[k]) k++;
		if (k < want.length) continue;
		if (found !== null) return null;
		found = s;
	}
	return found;
}

function firstDifference(
	fileLines: readonly string[],
	searchLines: readonly string[],
	start: number
) {
	for (let k = 0; k < searchLines.length && start + k < fileLines.length; k++) {
		if (fileLines[start + k] !== searchLines[k]) {
			return { line: start + k + 1, file: fileLines[start + k], search: searchLines[k] };
		}
	}
	return null;
}
