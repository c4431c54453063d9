// Build sessions: each is one agent thread in a project. `send` saves the person's prompt,
// creates a run and schedules the generation; clients read finished messages plus live
// stream deltas through `messages`.
import {
	createThread,
	listUIMessages,
	saveMessage,
	syncStreams,
	vStreamArgs
} from '@convex-dev/agent';
import { MINUTE, RateLimiter } from '@convex-dev/rate-limiter';
import { paginationOptsValidator } from 'convex/server';
import { v } from 'convex/values';
import { components, internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import type { QueryCtx } from './_generated/server';
import { agentLimits } from './agent/config';
import { ACTIVE_RUN_STATUSES, vRunStatus, vTokenUsage } from './agent/schema';
import { fail } from './errors';
import { getOwnedProject, userMutation, userQuery } from './functions';
import { closeCalls } from './runtimeCalls';
import { isProviderId } from '../src/lib/shared/providers';

const limits = agentLimits();
const rateLimiter = new RateLimiter(components.rateLimiter, {
	agentRuns: { kind: 'fixed window', rate: limits.runsPerMinute, period: MINUTE }
});

const TITLE_CHARS = 60;

/** The session, if the caller owns its project; otherwise NOT_FOUND, like a missing one. */
async function getOwnedSession(ctx: QueryCtx, userId: Id<'users'>, sessionId: Id<'sessions'>) {
	const session = await ctx.db.get(sessionId);
	if (!session || session.ownerId !== userId) fail('NOT_FOUND', 'Session not found.');
	await getOwnedProject(ctx, userId, session.projectId);
	return session;
}

const vSessionSummary = v.object({
	_id: v.id('sessions'),
	_creationTime: v.number(),
	title: v.string(),
	updatedAt: v.number()
});

export const create = userMutation({
	args: { projectId: v.id('projects') },
	returns: v.id('sessions'),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const threadId = await createThread(ctx, components.agent, { userId: ctx.userId });
		return await ctx.db.insert('sessions', {
			projectId,
			ownerId: ctx.userId,
			threadId,
			title: 'New session',
			updatedAt: Date.now()
		});
	}
});

export const list = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.array(vSessionSummary),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const sessions = await ctx.db
			.query('sessions')
			.withIndex('by_projectId_and_updatedAt', (q) => q.eq('projectId', projectId))
			.order('desc')
			.take(100);
		return sessions.map(({ _id, _creationTime, title, updatedAt }) => ({
			_id,
			_creationTime,
			title,
			updatedAt
		}));
	}
});

/** Saves the prompt and starts a run that answers it. */
export const send = userMutation({
	args: {
		sessionId: v.id('sessions'),
		prompt: v.string(),
		provider: v.string(),
		modelId: v.string()
	},
	returns: v.id('runs'),
	handler: async (ctx, { sessionId, prompt, provider, modelId }) => {
		const session = await getOwnedSession(ctx, ctx.userId, sessionId);
		if (!isProviderId(provider)) fail('INVALID_ARGUMENT', `Unknown model provider "${provider}".`);
		if (modelId.trim() === '' || modelId.length > 200) {
			fail('INVALID_ARGUMENT', 'Choose a model.');
		}
		const text = prompt.trim();
		if (text.length === 0) fail('INVALID_ARGUMENT', 'Write what you want built.');
		if (text.length > limits.promptChars) {
			fail('TOO_LARGE', `Prompts are limited to ${limits.promptChars} characters.`);
		}
		const active = await ctx.db
			.query('runs')
			.withIndex('by_sessionId', (q) => q.eq('sessionId', sessionId))
			.order('desc')
			.first();
		if (active && ACTIVE_RUN_STATUSES.includes(active.status)) {
			fail('CONFLICT', 'The agent is still working on the previous message. Stop it or wait.');
		}
		const allowed = await rateLimiter.limit(ctx, 'agentRuns', { key: ctx.userId });
		if (!allowed.ok) {
			fail(
				'RATE_LIMITED',
				`You started ${limits.runsPerMinute} runs this minute. Try again in ${Math.ceil(allowed.retryAfter / 1000)} s.`
			);
		}
		const { messageId } = await saveMessage(ctx, components.agent, {
			threadId: session.threadId,
			userId: ctx.userId,
			prompt: text
		});
		const runId = await ctx.db.insert('runs', {
			sessionId,
			projectId: session.projectId,
			ownerId: ctx.userId,
			status: 'queued',
			provider,
			modelId,
			promptMessageId: messageId,
			steps: 0,
			usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 },
			cancelRequested: false
		});
		const isFirst = session.title === 'New session';
		await ctx.db.patch(sessionId, {
			updatedAt: Date.now(),
			...(isFirst ? { title: titleFrom(text) } : {})
		});
		await ctx.scheduler.runAfter(0, internal.agent.generate.generate, { runId });
		return runId;
	}
});

/**
 * Asks a run to stop; it ends as cancelled between model steps, or at once when it is waiting
 * for the workbench to run a tool.
 */
export const cancel = userMutation({
	args: { runId: v.id('runs') },
	returns: v.null(),
	handler: async (ctx, { runId }) => {
		const run = await ctx.db.get(runId);
		if (!run || run.ownerId !== ctx.userId) fail('NOT_FOUND', 'Run not found.');
		if (ACTIVE_RUN_STATUSES.includes(run.status)) {
			await ctx.db.patch(runId, { cancelRequested: true });
		}
		if (run.status === 'waiting_for_runtime') await closeCalls(ctx, runId);
		return null;
	}
});

/** The session's runs, newest first, for status, tokens and cost. */
export const runs = userQuery({
	args: { sessionId: v.id('sessions') },
	returns: v.array(
		v.object({
			_id: v.id('runs'),
			_creationTime: v.number(),
			status: vRunStatus,
			provider: v.string(),
			modelId: v.string(),
			steps: v.number(),
			usage: vTokenUsage,
			costUsd: v.optional(v.number()),
			error: v.optional(v.string()),
			promptMessageId: v.string()
		})
	),
	handler: async (ctx, { sessionId }) => {
		await getOwnedSession(ctx, ctx.userId, sessionId);
		const rows = await ctx.db
			.query('runs')
			.withIndex('by_sessionId', (q) => q.eq('sessionId', sessionId))
			.order('desc')
			.take(50);
		return rows.map((r) => ({
			_id: r._id,
			_creationTime: r._creationTime,
			status: r.status,
			provider: r.provider,
			modelId: r.modelId,
			steps: r.steps,
			usage: r.usage,
			costUsd: r.costUsd,
			error: r.error,
			promptMessageId: r.promptMessageId
		}));
	}
});

/** Saved messages plus live stream deltas, the shape the agent's UI helpers merge. */
export const messages = userQuery({
	args: {
		sessionId: v.id('sessions'),
		paginationOpts: paginationOptsValidator,
		streamArgs: v.optional(vStreamArgs)
	},
	handler: async (ctx, { sessionId, paginationOpts, streamArgs }) => {
		const session = await getOwnedSession(ctx, ctx.userId, sessionId);
		const paginated = await listUIMessages(ctx, components.agent, {
			threadId: session.threadId,
			paginationOpts
		});
		const streams = await syncStreams(ctx, components.agent, {
			threadId: session.threadId,
			streamArgs
		});
		return { ...paginated, streams };
	}
});

function titleFrom(prompt: string): string {
	const oneLine = prompt.replace(/\s+/g, ' ');
	return oneLine.length <= TITLE_CHARS ? oneLine : `${oneLine.slice(0, TITLE_CHARS - 1)}…`;
}

/** Token and cost totals over all of a project's runs. */
export const projectUsage = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.object({
		...vTokenUsage.fields,
		costUsd: v.number(),
		/** False when some run's model has no known price, so costUsd is a lower bound. */
		costComplete: v.boolean()
	}),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const rows = await ctx.db
			.query('usage')
			.withIndex('by_projectId', (q) => q.eq('projectId', projectId))
			.take(10_000);
		const total = {
			inputTokens: 0,
			outputTokens: 0,
			cachedTokens: 0,
			costUsd: 0,
			costComplete: true
		};
		for (const row of rows) {
			total.inputTokens += row.inputTokens;
			total.outputTokens += row.outputTokens;
			total.cachedTokens += row.cachedTokens;
			if (row.costUsd === undefined) total.costComplete = false;
			else total.costUsd += row.costUsd;
		}
		return total;
	}
});
