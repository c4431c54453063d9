// The agent's grep: literal or regular-expression search, line by line, over the files it is
// given, with a glob filter. Output is bounded so a broad query cannot flood the model's
// context. Pure (convex/ imports it).
import { matchGlob } from './glob';
import { splitLines } from './read';

export const SEARCH_MAX_RESULTS = 100;
/** Matching lines are cut to this many characters, around the match. */
export const SEARCH_MAX_LINE_CHARS = 200;
export const SEARCH_MAX_QUERY_CHARS = 500;

export interface SearchOptions {
	query: string;
	/** Treat `query` as a JavaScript regular expression (no delimiters, no flags). */
	regex?: boolean;
	ignoreCase?: boolean;
	/** Only paths matching this glob; a glob without '/' matches file names ('*.ts'). */
	glob?: string;
	maxResults?: number;
}

export type SearchResult =
	| {
			ok: true;
			/** `path:line: text`, in path order then line order. */
			matches: string[];
			/** Files whose path passed the glob filter and were searched. */
			filesSearched: number;
			/** True when more lines matched than `matches` holds. */
			truncated: boolean;
	  }
	| { ok: false; error: string };

export interface SearchFile {
	path: string;
	content: string;
}

/** A line matcher for the options, or the reason the query is unusable. */
export function compileQuery(
	options: Pick<SearchOptions, 'query' | 'regex' | 'ignoreCase'>
): { ok: true; find: (line: string) => number } | { ok: false; error: string } {
	const { query, regex, ignoreCase } = options;
	if (query === '') return { ok: false, error: 'The search query is empty.' };
	if (query.length > SEARCH_MAX_QUERY_CHARS) {
		return { ok: false, error: `The search query is longer than ${SEARCH_MAX_QUERY_CHARS}.` };
	}
	if (regex) {
		let re: RegExp;
		try {
			re = new RegExp(query, ignoreCase ? 'i' : '');
		} catch (e) {
			const reason = e instanceof Error ? e.message : String(e);
			return {
				ok: false,
				error: `Invalid regular expression ${JSON.stringify(query)}: ${reason}. Fix the pattern, or search with regex false for the literal text.`
			};
		}
		return { ok: true, find: (line) => line.search(re) };
	}
	if (ignoreCase) {
		const needle = query.toLowerCase();
		return { ok: true, find: (line) => line.toLowerCase().indexOf(needle) };
	}
	return { ok: true, find: (line) => line.indexOf(query) };
}

/** Filters paths by an optional glob the way search and list do. */
export function pathFilter(glob: string | undefined): (path: string) => boolean {
	const g = glob?.trim();
	if (!g) return () => true;
	return (path) => matchGlob(g, path, { matchBase: true });
}

/** Searches `files` (in the order given) line by line. */
export function searchFiles(files: Iterable<SearchFile>, options: SearchOptions): SearchResult {
	const compiled = compileQuery(options);
	if (!compiled.ok) return compiled;
	let include: (path: string) => boolean;
	try {
		include = pathFilter(options.glob);
	} catch (e) {
		return { ok: false, error: `Invalid glob: ${e instanceof Error ? e.message : String(e)}` };
	}
	const max = Math.max(1, Math.min(options.maxResults ?? SEARCH_MAX_RESULTS, SEARCH_MAX_RESULTS));
	const matches: string[] = [];
	let filesSearched = 0;
	for (const file of files) {
		if (!include(file.path)) continue;
		filesSearched++;
		for (const [i, line] of splitLines(file.content).entries()) {
			const at = compiled.find(line);
			if (at === -1) continue;
			if (matches.length === max) return { ok: true, matches, filesSearched, truncated: true };
			matches.push(`${file.path}:${i + 1}: ${excerpt(line, at)}`);
		}
	}
	return { ok: true, matches, filesSearched, truncated: false };
}

/** The line, or a window of it that starts a little before the match. */
function excerpt(line: string, at: number): string {
	const text = line.replace(/\r$/, '');
	if (text.length <= SEARCH_MAX_LINE_CHARS) return text;
	const start = Math.max(0, Math.min(at - 40, text.length - SEARCH_MAX_LINE_CHARS));
	const end = start + SEARCH_MAX_LINE_CHARS;
	return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
