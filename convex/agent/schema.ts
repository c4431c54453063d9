// Tables for build sessions and agent runs; spread into convex/schema.ts.
import { defineTable } from 'convex/server';
import { v, type Infer } from 'convex/values';

/**
 * queued → running → succeeded | failed | cancelled, and running → waiting_for_runtime →
 * queued when a step ends on runtime tool calls (the workbench answers them, then the run
 * continues). Terminal states never change again.
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
		endedAt: v.optional(v.number()),
		/** While waiting_for_runtime: the assistant message holding the calls. */
		waitingOnMessageId: v.optional(v.string()),
		/** After runtime results arrived: the tool message the next generation continues from. */
		resumeMessageId: v.optional(v.string())
	})
		.index('by_sessionId', ['sessionId'])
		.index('by_status', ['status']),

	// A runtime tool call (run_checks, install_packages, read_preview_logs) waiting for the
	// open workbench: pending → claimed (one tab runs it) → done with its result.
	runtimeCalls: defineTable({
		runId: v.id('runs'),
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		/** The assistant message holding the call; its batch is answered in one tool message. */
		messageId: v.string(),
		toolCallId: v.string(),
		toolName: v.string(),
		input: v.any(),
		status: v.union(v.literal('pending'), v.literal('claimed'), v.literal('done')),
		/** Until then pending calls wait to be claimed, and claimed ones to be answered. */
		deadline: v.number(),
		result: v.optional(v.object({ isError: v.boolean(), output: v.string() }))
	})
		.index('by_runId', ['runId'])
		.index('by_projectId_and_status', ['projectId', 'status']),

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
