// The only code that writes `files`. Every write goes through `commitChanges`, which keeps
// the project's counters, the file rows and the history in step inside one transaction.
import type { Doc, Id } from '../_generated/dataModel';
import type { MutationCtx, QueryCtx } from '../_generated/server';
import { LIMITS } from '../../src/lib/shared/limits';
import { checkPath, utf8Bytes } from '../../src/lib/shared/paths';
import { fail } from '../errors';
import { findBlob, putBlob, sha256Hex } from './blobs';
import { appendToStepCheckpoint, recordCheckpoint } from './history';
import type { CheckpointKind, FileChange, FileEdit, UpdatedBy } from './validators';

export interface CommitMeta {
	kind: CheckpointKind;
	message: string;
	authorId?: Id<'users'>;
	updatedBy: UpdatedBy;
	/** An agent step: commits with the same key join one checkpoint while it is the newest. */
	stepKey?: string;
}

type Entry = { hash: string; size: number } | null;

export function validPath(path: string): string {
	const check = checkPath(path);
	if (!check.ok) fail('INVALID_PATH', `${JSON.stringify(path.slice(0, 80))}: ${check.reason}`);
	return check.path;
}

export async function getFileRow(ctx: QueryCtx, projectId: Id<'projects'>, path: string) {
	return await ctx.db
		.query('files')
		.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId).eq('path', path))
		.unique();
}

/**
 * Applies a batch of edits as one checkpoint, all or nothing. Each edit names the hash it
 * was based on; if the file moved on since, the batch fails with CONFLICT. Returns null when
 * the batch changes nothing (e.g. saving identical content).
 */
export async function applyEdits(
	ctx: MutationCtx,
	project: Doc<'projects'>,
	edits: FileEdit[],
	meta: CommitMeta
): Promise<{ checkpointId: Id<'checkpoints'>; changes: FileChange[] } | null> {
	if (edits.length === 0) fail('INVALID_ARGUMENT', 'Nothing to save.');
	if (edits.length > LIMITS.changesPerSave) {
		fail('TOO_MANY', `At most ${LIMITS.changesPerSave} changes can be saved at once.`);
	}

	// The tree as this batch sees it, loaded lazily: path -> entry (null = absent).
	const original = new Map<string, Entry>();
	const working = new Map<string, Entry>();
	const contents = new Map<string, string>(); // hash -> content written by this batch
	let bytesWritten = 0;
	const load = async (path: string): Promise<Entry> => {
		if (!working.has(path)) {
			const row = await getFileRow(ctx, project._id, path);
			const entry = row ? { hash: row.hash, size: row.size } : null;
			original.set(path, entry);
			working.set(path, entry);
		}
		return working.get(path)!;
	};
	const conflict = (path: string, current: Entry, message: string): never =>
		fail('CONFLICT', message, { path, currentHash: current?.hash ?? null });

	for (const edit of edits) {
		if (edit.kind === 'write') {
			const path = validPath(edit.path);
			const size = utf8Bytes(edit.content);
			if (size > LIMITS.fileBytes) {
				fail('TOO_LARGE', `${path} is ${size} bytes; files are limited to ${LIMITS.fileBytes}.`);
			}
			bytesWritten += size;
			if (bytesWritten > LIMITS.bytesPerSave) {
				fail('TOO_LARGE', `One save can write at most ${LIMITS.bytesPerSave / 1024 / 1024} MiB.`);
			}
			const current = await load(path);
			if ((current?.hash ?? null) !== edit.baseHash) {
				conflict(
					path,
					current,
					current
						? `${path} changed since you opened it.`
						: edit.baseHash
							? `${path} was deleted since you opened it.`
							: `${path} already exists.`
				);
			}
			const hash = await sha256Hex(edit.content);
			contents.set(hash, edit.content);
			working.set(path, { hash, size });
		} else if (edit.kind === 'delete') {
			const path = validPath(edit.path);
			const current = await load(path);
			if (!current) fail('NOT_FOUND', `${path} does not exist.`);
			if (current.hash !== edit.baseHash)
				conflict(path, current, `${path} changed since you opened it.`);
			working.set(path, null);
		} else {
			const from = validPath(edit.from);
			const to = validPath(edit.to);
			if (from === to) continue;
			const current = await load(from);
			if (!current) fail('NOT_FOUND', `${from} does not exist.`);
			if (current.hash !== edit.baseHash)
				conflict(from, current, `${from} changed since you opened it.`);
			const target = await load(to);
			if (target) conflict(to, target, `${to} already exists.`);
			working.set(to, current);
			working.set(from, null);
		}
	}

	const changes: FileChange[] = [];
	const sizes = new Map<string, number>();
	for (const [path, after] of working) {
		const before = original.get(path) ?? null;
		if ((before?.hash ?? null) === (after?.hash ?? null)) continue;
		changes.push({ path, beforeHash: before?.hash ?? null, afterHash: after?.hash ?? null });
		if (after) sizes.set(after.hash, after.size);
	}
	if (changes.length === 0) return null;

	for (const [hash, content] of contents) {
		if (changes.some((c) => c.afterHash === hash)) await putBlob(ctx, content);
	}
	const checkpointId = await commitChanges(ctx, project, changes, sizes, meta);
	return { checkpointId, changes };
}

/**
 * Writes already-validated changes whose blobs exist: file rows, project counters and one
 * checkpoint (or, with a stepKey, the step's existing one). `sizes` maps each after-hash to
 * its byte size.
 */
export async function commitChanges(
	ctx: MutationCtx,
	project: Doc<'projects'>,
	changes: FileChange[],
	sizes: Map<string, number>,
	meta: CommitMeta
): Promise<Id<'checkpoints'>> {
	const now = Date.now();
	let fileCount = project.fileCount;
	let totalBytes = project.totalBytes;
	for (const change of changes) {
		const row = await getFileRow(ctx, project._id, change.path);
		if (row) {
			fileCount -= 1;
			totalBytes -= row.size;
		}
		if (change.afterHash === null) {
			if (row) await ctx.db.delete(row._id);
			continue;
		}
		const size = sizes.get(change.afterHash);
		if (size === undefined) throw new Error(`size of ${change.afterHash} unknown`);
		fileCount += 1;
		totalBytes += size;
		const fields = { hash: change.afterHash, size, updatedAt: now, updatedBy: meta.updatedBy };
		if (row) await ctx.db.patch(row._id, fields);
		else await ctx.db.insert('files', { projectId: project._id, path: change.path, ...fields });
	}
	if (fileCount > LIMITS.filesPerProject) {
		fail('TOO_MANY', `A project holds at most ${LIMITS.filesPerProject} files.`);
	}
	if (totalBytes > LIMITS.projectBytes) {
		fail('TOO_LARGE', `A project holds at most ${LIMITS.projectBytes / 1024 / 1024} MiB of files.`);
	}
	const { kind, message, authorId, stepKey } = meta;
	const appended =
		stepKey === undefined ? null : await appendToStepCheckpoint(ctx, project, stepKey, changes);
	if (appended) {
		await ctx.db.patch(project._id, { fileCount, totalBytes, updatedAt: now });
		return appended;
	}
	const checkpoint = { kind, message, authorId, stepKey };
	const checkpointId = await recordCheckpoint(ctx, project, checkpoint, changes);
	await ctx.db.patch(project._id, {
		checkpointSeq: project.checkpointSeq + 1,
		headCheckpointId: checkpointId,
		fileCount,
		totalBytes,
		updatedAt: now
	});
	return checkpointId;
}

/** Sizes of existing blobs, for changes that point at content already stored. */
export async function blobSizes(ctx: QueryCtx, hashes: Iterable<string>) {
	const sizes = new Map<string, number>();
	for (const hash of hashes) {
		if (sizes.has(hash)) continue;
		const blob = await findBlob(ctx, hash);
		if (!blob) throw new Error(`blob ${hash} missing`);
		sizes.set(hash, blob.size);
	}
	return sizes;
}

/**
 * Contents for a batch of hashes of one project. A hash is served only if it was ever part of
 * the project, so access to one project cannot be used to read other people's blobs.
 */
export async function readProjectBlobs(
	ctx: QueryCtx,
	projectId: Id<'projects'>,
	hashes: string[]
): Promise<{ hash: string; content: string }[]> {
	if (hashes.length > LIMITS.hashesPerRead) {
		fail('TOO_MANY', `At most ${LIMITS.hashesPerRead} files can be read at once.`);
	}
	const out = [];
	for (const hash of new Set(hashes)) {
		const blob = (await wasInProject(ctx, projectId, hash)) ? await findBlob(ctx, hash) : null;
		if (!blob) fail('NOT_FOUND', 'File contents not found.');
		out.push({ hash, content: blob.content });
	}
	return out;
}

/** True if some version of some file of the project ever had this content. */
async function wasInProject(ctx: QueryCtx, projectId: Id<'projects'>, hash: string) {
	const inFiles = await ctx.db
		.query('files')
		.withIndex('by_projectId_and_hash', (q) => q.eq('projectId', projectId).eq('hash', hash))
		.first();
	if (inFiles) return true;
	const written = await ctx.db
		.query('fileChanges')
		.withIndex('by_projectId_and_afterHash', (q) =>
			q.eq('projectId', projectId).eq('afterHash', hash)
		)
		.first();
	if (written) return true;
	// Content of the baseline that was later replaced shows up only as a before-hash.
	const replaced = await ctx.db
		.query('fileChanges')
		.withIndex('by_projectId_and_beforeHash', (q) =>
			q.eq('projectId', projectId).eq('beforeHash', hash)
		)
		.first();
	return replaced !== null;
}
