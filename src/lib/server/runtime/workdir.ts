// A project's files on disk. Every path is checked with the same rules the builder's backend
// applies, so nothing lands outside the work dir.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileChange, FileHash, FileWrite } from '../../preview/runtime';
import { checkPath } from '../../shared/paths';

/** What a mount leaves alone: installed and generated folders that are not project files. */
const KEPT_ON_MOUNT = new Set(['node_modules', '.svelte-kit', '.vite']);

function resolveInside(workDir: string, path: string): string {
	const checked = checkPath(path);
	if (!checked.ok) throw new Error(`${path}: ${checked.reason}`);
	return join(workDir, checked.path);
}

/**
 * Makes the work dir hold exactly `files` (besides installed and generated folders). Files
 * whose content is already right are not touched, so a running dev server sees only real
 * changes when a browser reconnects and mounts again. Returns how many files were written.
 */
export async function mountFiles(workDir: string, files: FileWrite[]): Promise<number> {
	const targets = new Map(files.map((f) => [resolveInside(workDir, f.path), f.content]));
	await mkdir(workDir, { recursive: true });
	await removeStrays(workDir, targets);
	let written = 0;
	for (const [path, content] of targets) {
		const current = existsSync(path) ? await readFile(path, 'utf8').catch(() => null) : null;
		if (current === content) continue;
		await writeText(path, content);
		written++;
	}
	return written;
}

/**
 * Whether the work dir holds exactly `files` (same paths, same SHA-256 of their text) besides
 * installed and generated folders: what a mount of those files would leave unchanged.
 */
export async function holdsExactly(workDir: string, files: FileHash[]): Promise<boolean> {
	const wanted = new Map(files.map((f) => [resolveInside(workDir, f.path), f.hash]));
	if (!existsSync(workDir)) return false;
	const present = await listFiles(workDir);
	if (present.length !== wanted.size) return false;
	for (const path of present) {
		const hash = wanted.get(path);
		if (!hash) return false;
		const bytes = await readFile(path).catch(() => null);
		if (!bytes || createHash('sha256').update(bytes).digest('hex') !== hash) return false;
	}
	return true;
}

async function listFiles(dir: string, top = true): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		if (top && KEPT_ON_MOUNT.has(entry.name)) continue;
		const path = join(dir, entry.name);
		if (entry.isDirectory() && !entry.isSymbolicLink())
			found.push(...(await listFiles(path, false)));
		else found.push(path);
	}
	return found;
}

/** Deletes files (and then empty folders) that are not in `keep`. */
async function removeStrays(dir: string, keep: Map<string, string>, top = true): Promise<boolean> {
	let empty = true;
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (top && KEPT_ON_MOUNT.has(entry.name)) {
			empty = false;
		} else if (entry.isDirectory() && !entry.isSymbolicLink()) {
			if (await removeStrays(path, keep, false)) await rm(path, { recursive: true, force: true });
			else empty = false;
		} else if (keep.has(path)) {
			empty = false;
		} else {
			await rm(path, { force: true });
		}
	}
	return empty;
}

export async function applyChanges(workDir: string, changes: FileChange[]) {
	const targets = changes.map((c) => ({ change: c, path: resolveInside(workDir, c.path) }));
	for (const { change, path } of targets) {
		if (change.kind === 'write') await writeText(path, change.content);
		else if (existsSync(path)) await rm(path, { force: true });
	}
}

async function writeText(path: string, content: string) {
	await mkdir(dirname(path), { recursive: true });
	await writeFile(path, content);
}

/** Most bytes of one file read back to the browser. */
const READ_LIMIT_BYTES = 2 * 1024 * 1024;

/** The text of each file, or null when it is missing, a folder, or too large. */
export async function readTexts(workDir: string, paths: string[]): Promise<(string | null)[]> {
	return Promise.all(
		paths.map(async (path) => {
			const full = resolveInside(workDir, path);
			const info = await stat(full).catch(() => null);
			if (!info?.isFile() || info.size > READ_LIMIT_BYTES) return null;
			return await readFile(full, 'utf8');
		})
	);
}
