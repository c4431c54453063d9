// The run state machine's transitions. Internal: the generation action calls these after the
// run was authorized by `sessions.send`.
import { v } from 'convex/values';
import { internalMutation, internalQuery } from '../_generated/server';
import { findTemplate } from '../model/templates';
import { ACTIVE_RUN_STATUSES, vTokenUsage } from './schema';

/** Everything the generation action needs to start, or null if the run is gone. */
export const loadForGenerationUnchecked = internalQuery({
	args: { runId: v.id('runs') },
	handler: async (ctx, { runId }) => {
		const run = await ctx.db.get(runId);
		if (!run) return null;
		const session = await ctx.db.get(run.sessionId);
		const project = await ctx.db.get(run.projectId);
		if (!session || !project) return null;
		const template =
			project.origin.kind === 'template' ? findTemplate(project.origin.templateId) : null;
		return {
			run,
			threadId: session.threadId,
			template: template
				? { name: template.name, description: template.description, protected: template.protected }
				: null
		};
	}
});

/** queued → running. False when the run was cancelled (or already started) meanwhile. */
export const markRunningUnchecked = internalMutation({
	args: { runId: v.id('runs') },
	returns: v.boolean(),
	handler: async (ctx, { runId }) => {
		const run = await ctx.db.get(runId);
		if (!run || run.status !== 'queued') return false;
		if (run.cancelRequested) {
			await ctx.db.patch(runId, { status: 'cancelled', endedAt: Date.now() });
			return false;
		}
		await ctx.db.patch(runId, { status: 'running' });
		return true;
	}
});

/** Adds one model step's usage; answers whether the person asked to stop. */
export const recordStepUnchecked = internalMutation({
	args: { runId: v.id('runs'), usage: vTokenUsage, costUsd: v.optional(v.number()) },
	returns: v.object({ cancelRequested: v.boolean() }),
	handler: async (ctx, { runId, usage, costUsd }) => {
		const run = await ctx.db.get(runId);
		if (!run) return { cancelRequested: true };
		await ctx.db.insert('usage', {
			ownerId: run.ownerId,
			projectId: run.projectId,
			runId,
			provider: run.provider,
			modelId: run.modelId,
			...usage,
			costUsd
		});
		await ctx.db.patch(runId, {
			steps: run.steps + 1,
			usage: {
				inputTokens: run.usage.inputTokens + usage.inputTokens,
				outputTokens: run.usage.outputTokens + usage.outputTokens,
				cachedTokens: run.usage.cachedTokens + usage.cachedTokens
			},
			costUsd:
				costUsd === undefined || (run.steps > 0 && run.costUsd === undefined)
					? undefined
					: (run.costUsd ?? 0) + costUsd
		});
		return { cancelRequested: run.cancelRequested };
	}
});

/** Ends an active run. Terminal states never change again. */
export const finishUnchecked = internalMutation({
	args: {
		runId: v.id('runs'),
		status: v.union(v.literal('succeeded'), v.literal('failed'), v.literal('cancelled')),
		error: v.optional(v.string())
	},
	returns: v.null(),
	handler: async (ctx, { runId, status, error }) => {
		const run = await ctx.db.get(runId);
		if (!run || !ACTIVE_RUN_STATUSES.includes(run.status)) return null;
		await ctx.db.patch(runId, { status, error, endedAt: Date.now() });
		const session = await ctx.db.get(run.sessionId);
		if (session) await ctx.db.patch(session._id, { updatedAt: Date.now() });
		return null;
	}
});
