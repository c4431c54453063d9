// Glob matching for project paths: the agent's list and search filters and a template's
// protected list. Pure and dependency-free (convex/ imports it). Paths are '/'-separated and
// relative; '*' and '?' never cross a '/', '**' as a whole segment spans any number of
// segments (including none), {a,b} expands to alternatives, [abc] / [!abc] match one
// character. Dotfiles are not special: '*' matches '.env'.

export interface GlobOptions {
	/**
	 * A glob without '/' matches a path's last segment, so '*.ts' finds 'src/a.ts' (how
	 * ripgrep and .gitignore read such globs). For filters the model writes; the protected
	 * list stays anchored at the project root.
	 */
	matchBase?: boolean;
}

/** Brace expansion stops here: '{a,b}{c,d}...' multiplies, and a glob is a filter, not a program. */
const MAX_EXPANSIONS = 256;
const MAX_GLOB_LENGTH = 1000;

const cache = new Map<string, RegExp>();
const CACHE_SIZE = 200;

/** True if `path` matches `glob`. */
export function matchGlob(glob: string, path: string, options: GlobOptions = {}): boolean {
	return globToRegExp(glob, options).test(subject(glob, path, options));
}

/** True if `path` matches any of `globs`. */
export function matchAnyGlob(
	globs: readonly string[],
	path: string,
	options: GlobOptions = {}
): boolean {
	return globs.some((glob) => matchGlob(glob, path, options));
}

/** The first of `globs` that `path` matches, or null; for errors that name the rule. */
export function firstMatchingGlob(
	globs: readonly string[],
	path: string,
	options: GlobOptions = {}
): string | null {
	return globs.find((glob) => matchGlob(glob, path, options)) ?? null;
}

function subject(glob: string, path: string, options: GlobOptions) {
	if (options.matchBase && !cleanGlob(glob).includes('/')) {
		return path.slice(path.lastIndexOf('/') + 1);
	}
	return path;
}

// Models write './src/**' and '/src/**' for paths relative to the project root.
function cleanGlob(glob: string) {
	return glob.replace(/^(\.\/|\/)+/, '');
}

/** The anchored regular expression for a glob (cached; globs repeat across calls). */
export function globToRegExp(glob: string, options: GlobOptions = {}): RegExp {
	const key = `${options.matchBase ? 'b' : 'a'}:${glob}`;
	const cached = cache.get(key);
	if (cached) return cached;
	if (glob.length > MAX_GLOB_LENGTH) throw new Error(`Glob is longer than ${MAX_GLOB_LENGTH}.`);
	const alternatives = expandBraces(cleanGlob(glob));
	const re = new RegExp(`^(?:${alternatives.map(compileSegments).join('|')})$`, 'u');
	if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
	cache.set(key, re);
	return re;
}

/**
 * 'a{b,c{d,e}}f' -> ['abf', 'acdf', 'acef']. An unmatched '{' or a group without a top-level
 * comma is literal text, as in bash.
 */
export function expandBraces(glob: string): string[] {
	const open = findBraceGroup(glob);
	if (!open) return [glob];
	const { start, end, parts } = open;
	const head = glob.slice(0, start);
	const tails = expandBraces(glob.slice(end + 1));
	const out: string[] = [];
	for (const part of parts) {
		for (const middle of expandBraces(part)) {
			for (const tail of tails) {
				out.push(head + middle + tail);
				if (out.length > MAX_EXPANSIONS) {
					throw new Error(`Glob expands to more than ${MAX_EXPANSIONS} alternatives.`);
				}
			}
		}
	}
	return out;
}

/** The first '{...}' with a top-level comma: its bounds and its comma-separated parts. */
function findBraceGroup(glob: string) {
	for (let start = 0; start < glob.length; start++) {
		const c = glob[start];
		if (c === '\\') {
			start++;
			continue;
		}
		if (c !== '{') continue;
		let depth = 0;
		let partStart = start + 1;
		const parts: string[] = [];
		for (let i = start; i < glob.length; i++) {
			const d = glob[i];
			if (d === '\\') {
				i++;
			} else if (d === '{') {
				depth++;
			} else if (d === '}') {
				depth--;
				if (depth === 0) {
					parts.push(glob.slice(partStart, i));
					if (parts.length > 1) return { start, end: i, parts };
					break; // '{x}': literal braces; look for a later group
				}
			} else if (d === ',' && depth === 1) {
				parts.push(glob.slice(partStart, i));
				partStart = i + 1;
			}
		}
	}
	return null;
}

/** One brace-free glob to a regular expression source, segment by segment. */
function compileSegments(glob: string): string {
	const segments = glob.split('/');
	let source = '';
	for (let i = 0; i < segments.length; i++) {
		const segment = segments[i];
		const last = i === segments.length - 1;
		if (segment === '**') {
			// 'a/**/b' matches 'a/b'; 'a/**' matches 'a' and everything under it; '**' alone
			// matches any path.
			if (!last) source += '(?:[^/]+/)*';
			else if (source.endsWith('/')) source = `${source.slice(0, -1)}(?:/.*)?`;
			else source += '.*';
			continue;
		}
		source += compileSegment(segment);
		if (!last) source += '/';
	}
	return source;
}

function compileSegment(segment: string): string {
	let source = '';
	for (let i = 0; i < segment.length; i++) {
		const c = segment[i];
		if (c === '\\' && i + 1 < segment.length) {
			source += escapeRegExp(segment[++i]);
		} else if (c === '*') {
			while (segment[i + 1] === '*') i++; // 'a**b' is 'a*b'
			source += '[^/]*';
		} else if (c === '?') {
			source += '[^/]';
		} else if (c === '[') {
			const close = segment.indexOf(']', i + 2);
			if (close === -1) {
				source += '\\[';
				continue;
			}
			let body = segment.slice(i + 1, close);
			const negated = body[0] === '!' || body[0] === '^';
			if (negated) body = body.slice(1);
			// Inside a class only '\', ']' and '^' are special to RegExp; '-' keeps its range role.
			const cls = body.replace(/[\\\]^[]/g, (m) => `\\${m}`);
			source += negated ? `[^/${cls}]` : `(?!/)[${cls}]`;
			i = close;
		} else {
			source += escapeRegExp(c);
		}
	}
	return source;
}

function escapeRegExp(text: string) {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
