// How the agent sees a file: numbered lines, so it can cite and edit by line. Pure (convex/
// imports it). Line numbers are 1-based; a trailing newline does not start another line.

/** At most this many lines per read: a whole large file would crowd out the model's context. */
export const READ_MAX_LINES = 2000;
/** Longer lines (minified code, data) are cut, with a marker saying so. */
export const READ_MAX_LINE_CHARS = 2000;

export interface ReadRange {
	startLine?: number;
	endLine?: number;
}

export interface ReadResult {
	/** The numbered lines, one per text line: `<number>\t<text>`. */
	text: string;
	/** The range actually shown (after clamping); 0..0 when nothing is shown. */
	startLine: number;
	endLine: number;
	totalLines: number;
	/** Why the range shown differs from the one asked for, or that the file is empty. */
	note?: string;
}

/** The file's lines; 'a\nb\n' has two lines, '' has none. Keeps '\r' (edits must match it). */
export function splitLines(content: string): string[] {
	if (content === '') return [];
	const lines = content.split('\n');
	if (lines[lines.length - 1] === '') lines.pop();
	return lines;
}

/** `lines` numbered from `first`, numbers right-aligned to the widest shown. */
export function numberLines(lines: readonly string[], first: number, width?: number): string {
	const w = width ?? String(first + lines.length - 1).length;
	return lines
		.map((line, i) => `${String(first + i).padStart(w)}\t${truncateLine(line)}`)
		.join('\n');
}

function truncateLine(line: string) {
	if (line.length <= READ_MAX_LINE_CHARS) return line;
	return `${line.slice(0, READ_MAX_LINE_CHARS)} … [line cut: ${line.length} characters]`;
}

/**
 * The file, or the lines startLine..endLine (1-based, inclusive), numbered. Out-of-range
 * bounds are clamped and the note says how; a range longer than READ_MAX_LINES is cut and the
 * note says where to continue.
 */
export function readLines(content: string, range: ReadRange = {}): ReadResult {
	const lines = splitLines(content);
	const totalLines = lines.length;
	if (totalLines === 0) {
		return { text: '', startLine: 0, endLine: 0, totalLines, note: 'The file is empty.' };
	}
	const notes: string[] = [];
	let start = Math.floor(range.startLine ?? 1);
	let end = Math.floor(range.endLine ?? totalLines);
	if (!Number.isFinite(start) || start < 1) {
		if (range.startLine !== undefined) notes.push(`startLine ${range.startLine} was raised to 1.`);
		start = 1;
	}
	if (start > totalLines) {
		return {
			text: '',
			startLine: 0,
			endLine: 0,
			totalLines,
			note: `startLine ${start} is past the end: the file has ${totalLines} lines.`
		};
	}
	if (!Number.isFinite(end) || end > totalLines) {
		if (range.endLine !== undefined) {
			notes.push(`endLine ${range.endLine} was lowered to ${totalLines}, the last line.`);
		}
		end = totalLines;
	}
	if (end < start) {
		notes.push(`endLine ${end} is before startLine ${start}; showing line ${start} only.`);
		end = start;
	}
	if (end - start + 1 > READ_MAX_LINES) {
		end = start + READ_MAX_LINES - 1;
		notes.push(
			`Showing lines ${start}-${end} of ${totalLines} (at most ${READ_MAX_LINES} per read); ` +
				`read on with startLine ${end + 1}.`
		);
	}
	const text = numberLines(lines.slice(start - 1, end), start);
	return { text, startLine: start, endLine: end, totalLines, note: notes.join(' ') || undefined };
}
