// Tables for deploying a project's generated app; spread into convex/schema.ts.
import { defineTable } from 'convex/server';
import { v } from 'convex/values';

export const vDeployStatus = v.union(
	v.literal('queued'),
	v.literal('checking'),
	v.literal('pushing'),
	v.literal('building'),
	v.literal('uploading'),
	v.literal('succeeded'),
	v.literal('failed')
);

/**
 * Where a deployment goes. `offline`: an in-memory Convex emulator on the builder's server,
 * for tests and the offline demo (its data is lost when the builder stops).
 */
export const vDeployTarget = v.literal('offline');

export const deployTables = {
	// One per click on Deploy. `status` follows canAdvance in src/lib/shared/deploy.ts; at most
	// one deployment per project is active at a time. `url` is set once it succeeded.
	deployments: defineTable({
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		target: vDeployTarget,
		status: vDeployStatus,
		/** The checkpoint the project was at when the deploy started (its head). */
		checkpointSeq: v.number(),
		url: v.optional(v.string()),
		backendUrl: v.optional(v.string()),
		error: v.optional(v.string()),
		/** The step that failed, for the UI and the fix prompt. */
		failedStep: v.optional(v.string()),
		logChunks: v.number(),
		updatedAt: v.number(),
		finishedAt: v.optional(v.number())
	})
		.index('by_projectId', ['projectId'])
		.index('by_projectId_and_status', ['projectId', 'status']),

	// A deployment's log, in order of `seq` (0, 1, ...); at most DEPLOY_LIMITS.logChunksPerDeployment.
	deploymentLogs: defineTable({
		deploymentId: v.id('deployments'),
		seq: v.number(),
		text: v.string()
	}).index('by_deploymentId_and_seq', ['deploymentId', 'seq'])
};
