// Project-level operations shared by the owner's functions (convex/projects.ts) and the
// share-link ones (convex/shares.ts) and import (convex/transfer.ts): names, the per-person
// limit, remixing, share tokens.
import type { Doc, Id } from '../_generated/dataModel';
import type { MutationCtx, QueryCtx } from '../_generated/server';
import { LIMITS } from '../../src/lib/shared/limits';
import { fail } from '../errors';
import { blobSizes, commitChanges } from './fileStore';
import { getProjectCheckpoint, stateAt } from './history';
import { putBlob } from './blobs';
import type { FileChange, Origin, UpdatedBy } from './validators';

export function cleanProjectName(name: string): string {
	const trimmed = name.normalize('NFC').trim().replace(/\s+/g, ' ');
	// Control and bidi-override characters make names that display as something else.
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(trimmed)) {
		fail('INVALID_ARGUMENT', 'Project names cannot contain control characters.');
	}
	if (trimmed.length === 0) fail('INVALID_ARGUMENT', 'A project needs a name.');
	if (trimmed.length > LIMITS.projectNameLength) {
		fail('INVALID_ARGUMENT', `Project names are at most ${LIMITS.projectNameLength} characters.`);
	}
	return trimmed;
}

export async function ensureRoomForProject(ctx: MutationCtx, userId: Id<'users'>) {
	const owned = await ctx.db
		.query('projects')
		.withIndex('by_ownerId_and_updatedAt', (q) => q.eq('ownerId', userId))
		.take(LIMITS.projectsPerUser);
	if (owned.length >= LIMITS.projectsPerUser) {
		fail('TOO_MANY', `You can have at most ${LIMITS.projectsPerUser} projects.`);
	}
}

/** A project row with no files and no history yet; the caller commits its first checkpoint. */
export async function insertEmptyProject(
	ctx: MutationCtx,
	userId: Id<'users'>,
	name: string,
	origin: Origin
): Promise<Doc<'projects'>> {
	const projectId = await ctx.db.insert('projects', {
		ownerId: userId,
		name,
		origin,
		visibility: 'private',
		checkpointSeq: 0,
		fileCount: 0,
		totalBytes: 0,
		updatedAt: Date.now()
	});
	return (await ctx.db.get(projectId))!;
}

/**
 * A new project holding `files`, as one baseline checkpoint. Blobs are content-addressed,
 * so content already stored anywhere (a template's, say) is not stored again.
 */
export async function createProjectWithFiles(
	ctx: MutationCtx,
	userId: Id<'users'>,
	project: { name: string; origin: Origin },
	files: { path: string; content: string }[],
	meta: { message: string; updatedBy: UpdatedBy }
): Promise<Id<'projects'>> {
	const row = await insertEmptyProject(ctx, userId, project.name, project.origin);
	if (files.length === 0) return row._id;
	const sizes = new Map<string, number>();
	const changes: FileChange[] = [];
	for (const file of files) {
		const { hash, size } = await putBlob(ctx, file.content);
		sizes.set(hash, size);
		changes.push({ path: file.path, beforeHash: null, afterHash: hash });
	}
	await commitChanges(ctx, row, changes, sizes, { kind: 'create', authorId: userId, ...meta });
	return row._id;
}

const REMIX_SUFFIX = ' (remix)';

/**
 * A new project of `userId`'s holding `source`'s files as they were right after
 * `checkpointId` (default: its head). The file rows point at the existing blobs, so no content
 * is copied, and the one baseline checkpoint stores no change rows. The source is only read.
 */
export async function remixProject(
	ctx: MutationCtx,
	userId: Id<'users'>,
	source: Doc<'projects'>,
	checkpointId?: Id<'checkpoints'>
): Promise<Id<'projects'>> {
	await ensureRoomForProject(ctx, userId);
	const at = checkpointId ?? source.headCheckpointId;
	const checkpoint = at ? await getProjectCheckpoint(ctx, source._id, at) : null;
	if (!checkpoint) {
		fail(checkpointId ? 'NOT_FOUND' : 'INVALID_ARGUMENT', 'There is no checkpoint to remix.');
	}

	const changes: FileChange[] = [];
	let sizes: Map<string, number>;
	if (checkpoint.seq === source.checkpointSeq) {
		// The head: today's rows carry their sizes, so no blob needs reading.
		const rows = await ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) => q.eq('projectId', source._id))
			.take(LIMITS.filesPerProject + 1);
		sizes = new Map(rows.map((row) => [row.hash, row.size]));
		for (const row of rows) changes.push({ path: row.path, beforeHash: null, afterHash: row.hash });
	} else {
		const state = await stateAt(ctx, source._id, checkpoint.seq);
		for (const [path, hash] of state) changes.push({ path, beforeHash: null, afterHash: hash });
		sizes = await blobSizes(ctx, state.values());
	}

	const name = source.name.slice(0, LIMITS.projectNameLength - REMIX_SUFFIX.length).trimEnd();
	const project = await insertEmptyProject(ctx, userId, name + REMIX_SUFFIX, {
		kind: 'remix',
		projectId: source._id,
		checkpointId: checkpoint._id
	});
	await commitChanges(ctx, project, changes, sizes, {
		kind: 'remix',
		message: `Remixed from ${source.name}`.slice(0, 200),
		authorId: userId,
		updatedBy: 'user'
	});
	return project._id;
}

/** 192 random bits, base64url: unguessable, and safe in a URL path. */
export function newShareToken(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(24));
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The project a live share link points at; a revoked or unknown token is NOT_FOUND. */
export async function getSharedProject(ctx: QueryCtx, token: string): Promise<Doc<'projects'>> {
	// An empty token would match nothing anyway; refusing early keeps the index lookup exact.
	const project =
		token.length === 0
			? null
			: await ctx.db
					.query('projects')
					.withIndex('by_shareToken', (q) => q.eq('shareToken', token))
					.unique();
	if (!project) fail('NOT_FOUND', 'This link does not exist or was revoked.');
	return project;
}
