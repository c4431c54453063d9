// Project file paths: the single rule set for what a path may be. A valid path is relative,
// '/'-separated, NFC-normalized, with no empty, '.' or '..' segments, and outside reserved
// folders that belong to tooling rather than to the project.
import { LIMITS } from './limits';

/** Folders whose contents are produced by tools, never stored as project files. */
export const RESERVED_SEGMENTS = ['node_modules', '.git', '.svelte-kit'] as const;

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

// Control characters (including NUL) and characters Windows refuses make paths that break
// exports and tools.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f<>:"|?*\\]/;

export function checkPath(input: string): PathCheck {
	if (typeof input !== 'string' || input.length === 0) {
		return { ok: false, reason: 'Path is empty.' };
	}
	const path = input.normalize('NFC');
	if (FORBIDDEN_CHARS.test(path)) {
		return { ok: false, reason: 'Path contains a control or reserved character.' };
	}
	if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) {
		return { ok: false, reason: 'Path must be relative to the project root.' };
	}
	if (path.length > LIMITS.pathLength) {
		return { ok: false, reason: `Path is longer than ${LIMITS.pathLength} characters.` };
	}
	const segments = path.split('/');
	if (segments.length > LIMITS.pathDepth) {
		return { ok: false, reason: `Path is nested deeper than ${LIMITS.pathDepth} folders.` };
	}
	for (const segment of segments) {
		if (segment === '' || segment === '.' || segment === '..') {
			return { ok: false, reason: 'Path has an empty, "." or ".." segment.' };
		}
		if (segment.length > LIMITS.segmentLength) {
			return { ok: false, reason: `A path segment is longer than ${LIMITS.segmentLength}.` };
		}
		if (segment.trim() !== segment) {
			return { ok: false, reason: 'A path segment starts or ends with a space.' };
		}
		if ((RESERVED_SEGMENTS as readonly string[]).includes(segment)) {
			return { ok: false, reason: `"${segment}/" is reserved for tools and cannot be stored.` };
		}
	}
	return { ok: true, path };
}

export function parentFolder(path: string): string {
	const i = path.lastIndexOf('/');
	return i === -1 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

/** Byte length of a string as UTF-8, which is what storage and limits count. */
export function utf8Bytes(text: string): number {
	return new TextEncoder().encode(text).length;
}
