// Project archives: building the zip a person downloads, and reading one they upload. Pure
// module (no Svelte, no Convex), shared by the workbench and convex/transfer.ts.
//
// Reading never trusts the archive: the central directory is checked against the limits
// before a byte is inflated, and inflation streams in small chunks so a header that lies
// about its sizes is caught after a bounded amount of work rather than after gigabytes.
import { Inflate, zipSync } from 'fflate';
import type { ErrorCode } from '../shared/errors';
import { LIMITS } from '../shared/limits';
import { checkPath } from '../shared/paths';

export interface ProjectFile {
	path: string;
	content: string;
}

/** Added to exports so the archive says how to run it; dropped again on import. */
export const EXPORT_README_PATH = 'APPBUILDER-README.md';

// Name-independent, so an import can recognise it exactly and round trips stay exact.
export const EXPORT_README = `# Running this project locally

This archive holds the files of a project exported from Appbuilder.

1. Install Node.js 20 or newer.
2. Install the dependencies:

   \`\`\`sh
   npm install
   \`\`\`

3. Start a Convex backend and generate its client code (this asks you to sign in to Convex or
   to run a local deployment):

   \`\`\`sh
   npx convex dev
   \`\`\`

4. In a second terminal, start the app:

   \`\`\`sh
   npm run dev
   \`\`\`

You can import this zip back into Appbuilder from the home page ("Import zip").
`;

// A fixed timestamp, so exporting the same files twice gives byte-identical archives.
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

/** The project's files exactly, plus the run instructions unless that path is taken. */
export function buildProjectZip(files: ProjectFile[]): Uint8Array {
	const encoder = new TextEncoder();
	const entries: Record<string, Uint8Array> = {};
	const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	for (const file of sorted) entries[file.path] = encoder.encode(file.content);
	if (!(EXPORT_README_PATH in entries)) {
		entries[EXPORT_README_PATH] = encoder.encode(EXPORT_README);
	}
	return zipSync(entries, { level: 6, mtime: FIXED_MTIME });
}

export class ZipImportError extends Error {
	constructor(
		readonly code: ErrorCode,
		message: string
	) {
		super(message);
	}
}

function refuse(code: ErrorCode, message: string): never {
	throw new ZipImportError(code, message);
}

interface CentralEntry {
	name: string;
	method: number;
	compressedSize: number;
	size: number;
	localOffset: number;
}

const MiB = 1024 * 1024;
// Work to skip over directory entries and macOS resource forks is bounded too.
const MAX_ENTRIES = LIMITS.filesPerProject * 2;
// Small files can legitimately compress far beyond 100:1 (a file of spaces); only entries
// large enough to matter are held to the ratio. Absolute caps bound everything else.
const RATIO_FLOOR_BYTES = 64 * 1024;
const INFLATE_CHUNK = 16 * 1024;

function u16(b: Uint8Array, at: number) {
	return b[at] | (b[at + 1] << 8);
}
function u32(b: Uint8Array, at: number) {
	return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** The central directory: names and declared sizes, read without inflating anything. */
function readCentralDirectory(zip: Uint8Array): CentralEntry[] {
	const notZip = () => refuse('INVALID_ARGUMENT', 'This file is not a valid zip archive.');
	// The end record is in the last 22 + 65535 (comment) bytes.
	let end = -1;
	for (let i = zip.length - 22; i >= 0 && i >= zip.length - 22 - 65535; i--) {
		if (u32(zip, i) === 0x06054b50) {
			end = i;
			break;
		}
	}
	if (end < 0) notZip();
	const count = u16(zip, end + 10);
	const dirOffset = u32(zip, end + 16);
	if (count === 0xffff || dirOffset === 0xffffffff) {
		refuse('INVALID_ARGUMENT', 'ZIP64 archives are not supported.');
	}
	if (count > MAX_ENTRIES) {
		refuse('TOO_MANY', `The archive has ${count} entries; at most ${MAX_ENTRIES} are accepted.`);
	}
	const entries: CentralEntry[] = [];
	let at = dirOffset;
	const decoder = new TextDecoder();
	for (let i = 0; i < count; i++) {
		if (at + 46 > zip.length || u32(zip, at) !== 0x02014b50) notZip();
		const flags = u16(zip, at + 8);
		const nameLength = u16(zip, at + 28);
		const extraLength = u16(zip, at + 30);
		const commentLength = u16(zip, at + 32);
		if (at + 46 + nameLength > zip.length) notZip();
		if (flags & 1) refuse('INVALID_ARGUMENT', 'Encrypted zip archives are not supported.');
		entries.push({
			// Names are UTF-8 when flag bit 11 is set; tools that omit it almost always wrote
			// ASCII, which decodes the same.
			name: decoder.decode(zip.subarray(at + 46, at + 46 + nameLength)),
			method: u16(zip, at + 10),
			compressedSize: u32(zip, at + 20),
			size: u32(zip, at + 24),
			localOffset: u32(zip, at + 42)
		});
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

/** Inflates one entry, stopping as soon as it yields more than it declared. */
function inflateEntry(zip: Uint8Array, entry: CentralEntry, path: string): Uint8Array {
	const at = entry.localOffset;
	if (at + 30 > zip.length || u32(zip, at) !== 0x04034b50) {
		refuse('INVALID_ARGUMENT', 'This file is not a valid zip archive.');
	}
	const start = at + 30 + u16(zip, at + 26) + u16(zip, at + 28);
	const data = zip.subarray(start, start + entry.compressedSize);
	if (data.length !== entry.compressedSize) {
		refuse('INVALID_ARGUMENT', 'This file is not a valid zip archive.');
	}
	if (entry.method === 0) return data.slice();
	if (entry.method !== 8) {
		refuse('INVALID_ARGUMENT', `${path} uses an unsupported compression method.`);
	}
	const out = new Uint8Array(entry.size);
	let written = 0;
	const inflater = new Inflate((chunk) => {
		if (written + chunk.length > entry.size) {
			refuse('TOO_LARGE', `${path} inflates to more than the archive declares.`);
		}
		out.set(chunk, written);
		written += chunk.length;
	});
	try {
		for (let i = 0; i < data.length; i += INFLATE_CHUNK) {
			const end = Math.min(i + INFLATE_CHUNK, data.length);
			inflater.push(data.subarray(i, end), end === data.length);
		}
	} catch (error) {
		if (error instanceof ZipImportError) throw error;
		refuse('INVALID_ARGUMENT', `${path} is corrupt in this archive.`);
	}
	if (written !== entry.size) refuse('INVALID_ARGUMENT', `${path} is corrupt in this archive.`);
	return out;
}

/** Text or nothing: NUL bytes and invalid UTF-8 mark a binary file, which projects cannot hold. */
function decodeText(bytes: Uint8Array, path: string): string {
	const binary = () =>
		refuse('INVALID_ARGUMENT', `${path} is a binary file; only text files can be imported.`);
	if (bytes.includes(0)) binary();
	// Decoding replaces invalid sequences with U+FFFD, so valid UTF-8 is exactly what survives a
	// round trip unchanged (without relying on the `fatal` option, which not every runtime has).
	let text = new TextDecoder().decode(bytes);
	const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	if (bom && !text.startsWith('\uFEFF')) text = '\uFEFF' + text;
	const again = new TextEncoder().encode(text);
	if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) binary();
	return text;
}

/** Entries that are packaging noise rather than project files. */
function isNoise(name: string) {
	return name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\.DS_Store$/.test(name);
}

/**
 * Reads an uploaded archive into project files, or throws ZipImportError. Order matters: the
 * archive's size, entry count, declared sizes, ratios and every path are checked first, and
 * only then is anything inflated.
 */
export function readProjectZip(zip: Uint8Array): ProjectFile[] {
	if (zip.length > LIMITS.importZipBytes) {
		refuse('TOO_LARGE', `Archives are limited to ${LIMITS.importZipBytes / MiB} MiB.`);
	}
	const entries = readCentralDirectory(zip).filter((e) => !isNoise(e.name));
	if (entries.length === 0) refuse('INVALID_ARGUMENT', 'The archive contains no files.');
	if (entries.length > LIMITS.filesPerProject) {
		refuse(
			'TOO_MANY',
			`The archive has ${entries.length} files; a project holds at most ${LIMITS.filesPerProject}.`
		);
	}

	let declared = 0;
	let compressed = 0;
	for (const entry of entries) {
		const shown = JSON.stringify(entry.name.slice(0, 80));
		if (entry.size > LIMITS.fileBytes) {
			refuse(
				'TOO_LARGE',
				`${shown} is ${entry.size} bytes; files are limited to ${LIMITS.fileBytes}.`
			);
		}
		if (
			entry.size > RATIO_FLOOR_BYTES &&
			entry.size > entry.compressedSize * LIMITS.importCompressionRatio
		) {
			refuse('TOO_LARGE', `${shown} is compressed suspiciously well (a zip bomb?).`);
		}
		declared += entry.size;
		compressed += entry.compressedSize;
	}
	if (declared > LIMITS.importBytes) {
		refuse('TOO_LARGE', `The archive unpacks to more than ${LIMITS.importBytes / MiB} MiB.`);
	}
	if (declared > RATIO_FLOOR_BYTES && declared > compressed * LIMITS.importCompressionRatio) {
		refuse('TOO_LARGE', 'The archive is compressed suspiciously well (a zip bomb?).');
	}

	// GitHub-style archives wrap everything in one folder; the project is what is inside it.
	const first = entries[0].name.split('/')[0];
	const wrapped = checkPath(first).ok && entries.every((e) => e.name.startsWith(first + '/'));
	const paths = entries.map((entry) => {
		const name = wrapped ? entry.name.slice(first.length + 1) : entry.name;
		const check = checkPath(name);
		if (!check.ok) refuse('INVALID_PATH', `${JSON.stringify(name.slice(0, 80))}: ${check.reason}`);
		return check.path;
	});
	const seen = new Set<string>();
	for (const path of paths) {
		if (seen.has(path)) refuse('INVALID_PATH', `${path} appears twice in the archive.`);
		seen.add(path);
	}
	for (const path of paths) {
		const segments = path.split('/');
		for (let i = 1; i < segments.length; i++) {
			const folder = segments.slice(0, i).join('/');
			if (seen.has(folder)) refuse('INVALID_PATH', `${folder} is both a file and a folder.`);
		}
	}

	const files: ProjectFile[] = [];
	entries.forEach((entry, i) => {
		const content = decodeText(inflateEntry(zip, entry, paths[i]), paths[i]);
		if (paths[i] === EXPORT_README_PATH && content === EXPORT_README) return;
		files.push({ path: paths[i], content });
	});
	if (files.length === 0) refuse('INVALID_ARGUMENT', 'The archive contains no project files.');
	return files;
}
