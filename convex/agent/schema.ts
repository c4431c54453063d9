// Tables for build sessions and agent runs; spread into convex/schema.ts.
import { defineTable } from 'convex/server';
import { v, type Infer } from 'convex/values';

/**
 * queued → running → succeeded | failed | cancelled. (Runtime tools will add
 * running → waiting_for_runtime → running.) Terminal states never change again.
 */
export const vRunStatus = v.union(
	v.literal('queued'),
	v.literal('running'),
	v.literal('waiting_for_runtime'),
	v.literal('succeeded'),
	v.literal('failed'),
	v.literal('cancelled')
);
export type RunStatus = Infer<typeof vRunStatus>;
export const ACTIVE_RUN_STATUSES: RunStatus[] = ['queued', 'running', 'waiting_for_runtime'];

export const vTokenUsage = v.object({
	inputTokens: v.number(),
	outputTokens: v.number(),
	cachedTokens: v.number()
});
export type TokenUsage = Infer<typeof vTokenUsage>;

export const agentTables = {
	// A build session: one agent thread (in the agent component) inside one project.
	sessions: defineTable({
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		threadId: v.string(),
		title: v.string(),
		updatedAt: v.number()
	}).index('by_projectId_and_updatedAt', ['projectId', 'updatedAt']),

	// One per prompt. At most one run per session is active (queued or running) at a time;
	// usage totals are the sum of the run's `usage` rows.
	runs: defineTable({
		sessionId: v.id('sessions'),
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		status: vRunStatus,
		provider: v.string(),
		modelId: v.string(),
		/** The user message this run answers. */
		promptMessageId: v.string(),
		steps: v.number(),
		usage: vTokenUsage,
		/** Estimated from the model catalog's prices; absent when the price is unknown. */
		costUsd: v.optional(v.number()),
		cancelRequested: v.boolean(),
		error: v.optional(v.string()),
		endedAt: v.optional(v.number())
	})
		.index('by_sessionId', ['sessionId'])
		.index('by_status', ['status']),

	// Token usage per model step, for per-person, per-project and per-model totals.
	usage: defineTable({
		ownerId: v.id('users'),
		projectId: v.id('projects'),
		runId: v.id('runs'),
		provider: v.string(),
		modelId: v.string(),
		...vTokenUsage.fields,
		costUsd: v.optional(v.number())
	})
		.index('by_runId', ['runId'])
		.index('by_ownerId', ['ownerId'])
		.index('by_projectId', ['projectId'])
};
