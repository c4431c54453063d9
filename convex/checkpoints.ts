// A project's history: list checkpoints, see what one changed, diff two, restore one.
// Restoring adds a checkpoint; history is never rewritten.
import { v } from 'convex/values';
import { fail } from './errors';
import { getOwnedProject, userMutation, userQuery } from './functions';
import { blobSizes, commitChanges } from './model/fileStore';
import { changesBetween, getProjectCheckpoint, recentCheckpoints } from './model/history';
import { vCheckpointSummary, vFileChange } from './model/validators';

export const list = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.array(vCheckpointSummary),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		return await recentCheckpoints(ctx, projectId);
	}
});

/**
 * How files changed from `fromCheckpointId` to `toCheckpointId`. Without a `from`, the
 * changes the `to` checkpoint itself made.
 */
export const diff = userQuery({
	args: {
		projectId: v.id('projects'),
		toCheckpointId: v.id('checkpoints'),
		fromCheckpointId: v.optional(v.id('checkpoints'))
	},
	returns: v.array(vFileChange),
	handler: async (ctx, { projectId, toCheckpointId, fromCheckpointId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const to = await getProjectCheckpoint(ctx, projectId, toCheckpointId);
		if (!to) fail('NOT_FOUND', 'Checkpoint not found.');
		let fromSeq = to.seq - 1;
		if (fromCheckpointId) {
			const from = await getProjectCheckpoint(ctx, projectId, fromCheckpointId);
			if (!from) fail('NOT_FOUND', 'Checkpoint not found.');
			fromSeq = from.seq;
		}
		return await changesBetween(ctx, projectId, fromSeq, to.seq);
	}
});

/** Brings every file back to how it was right after the checkpoint, as a new checkpoint. */
export const restore = userMutation({
	args: { projectId: v.id('projects'), checkpointId: v.id('checkpoints') },
	returns: v.union(v.id('checkpoints'), v.null()),
	handler: async (ctx, { projectId, checkpointId }) => {
		const project = await getOwnedProject(ctx, ctx.userId, projectId);
		const target = await getProjectCheckpoint(ctx, projectId, checkpointId);
		if (!target) fail('NOT_FOUND', 'Checkpoint not found.');
		const changes = await changesBetween(ctx, projectId, project.checkpointSeq, target.seq);
		if (changes.length === 0) return null;
		const sizes = await blobSizes(
			ctx,
			changes.flatMap((c) => (c.afterHash ? [c.afterHash] : []))
		);
		return await commitChanges(ctx, project, changes, sizes, {
			kind: 'restore',
			message: `Restored checkpoint #${target.seq}`,
			authorId: ctx.userId,
			updatedBy: 'user'
		});
	}
});
