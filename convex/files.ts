// A project's files: metadata lists, contents by hash, and batched saves with optimistic
// concurrency (each edit names the hash it was based on).
import { v } from 'convex/values';
import { fail } from './errors';
import { getOwnedProject, userMutation, userQuery } from './functions';
import { applyEdits, readProjectBlobs } from './model/fileStore';
import { vFileChange, vFileEdit, vFileMeta } from './model/validators';
import { LIMITS } from '../src/lib/shared/limits';

/** Every file's metadata, sorted by path. Never contents: those are fetched by hash. */
export const list = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.array(vFileMeta),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const rows = await ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId))
			.take(LIMITS.filesPerProject);
		return rows.map(({ path, hash, size, updatedAt, updatedBy }) => ({
			path,
			hash,
			size,
			updatedAt,
			updatedBy
		}));
	}
});

/**
 * Contents for a batch of hashes. A hash is served only if it was ever part of this
 * project, so a project id cannot be used to read other people's blobs.
 */
export const read = userQuery({
	args: { projectId: v.id('projects'), hashes: v.array(v.string()) },
	returns: v.array(v.object({ hash: v.string(), content: v.string() })),
	handler: async (ctx, { projectId, hashes }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		return await readProjectBlobs(ctx, projectId, hashes);
	}
});

/** Saves a batch of edits as one checkpoint; all or nothing. */
export const save = userMutation({
	args: {
		projectId: v.id('projects'),
		edits: v.array(vFileEdit),
		message: v.optional(v.string())
	},
	returns: v.object({
		checkpointId: v.union(v.id('checkpoints'), v.null()),
		changes: v.array(vFileChange)
	}),
	handler: async (ctx, { projectId, edits, message }) => {
		const project = await getOwnedProject(ctx, ctx.userId, projectId);
		if (edits.length === 0) fail('INVALID_ARGUMENT', 'Nothing to save.');
		const result = await applyEdits(ctx, project, edits, {
			kind: 'save',
			message: (message ?? describeEdits(edits)).slice(0, 200),
			authorId: ctx.userId,
			updatedBy: 'user'
		});
		return result ?? { checkpointId: null, changes: [] };
	}
});

function describeEdits(edits: { kind: string; path?: string; from?: string; to?: string }[]) {
	if (edits.length > 1) return `Saved ${edits.length} changes`;
	const [edit] = edits;
	if (edit.kind === 'rename') return `Renamed ${edit.from} to ${edit.to}`;
	if (edit.kind === 'delete') return `Deleted ${edit.path}`;
	return `Saved ${edit.path}`;
}
