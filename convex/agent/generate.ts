// One agent run: stream the model's answer into the session's thread (saving stream deltas
// so every open browser sees it live), let it use the project file tools, and move the run
// to its final state. Guards stop the run between steps; the thread and the files stay
// consistent whatever happens, because every write is its own transaction.
import { Agent, listMessages, stepCountIs } from '@convex-dev/agent';
import type { LanguageModelUsage } from 'ai';
import { v } from 'convex/values';
import { components, internal } from '../_generated/api';
import { internalAction, type ActionCtx } from '../_generated/server';
import { agentLimits } from './config';
import { ToolGuard } from './guards';
import { historyDigest, projectContext } from './context';
import { composeInstructions } from './instructions';
import { estimateCostUsd, languageModelFor } from './languageModel';
import { readableModelError } from './modelErrors';
import type { TokenUsage } from './schema';
import { runtimeTools, unansweredRuntimeCalls } from './runtimeTools';
import { projectFileTools } from './tools';

/** Messages of the thread's history sent with each run (older ones are not sent). */
const RECENT_MESSAGES = 40;
/** How many older messages the history digest looks back over. */
const DIGEST_WINDOW = 200;

type Outcome = { status: 'succeeded' } | { status: 'failed' | 'cancelled'; error?: string };

export const generate = internalAction({
	args: { runId: v.id('runs') },
	returns: v.null(),
	handler: async (ctx, { runId }) => {
		const loaded = await ctx.runQuery(internal.agent.runs.loadForGenerationUnchecked, { runId });
		if (!loaded) return null;
		if (!(await ctx.runMutation(internal.agent.runs.markRunningUnchecked, { runId }))) return null;
		const { run, threadId, template } = loaded;
		const limits = agentLimits();

		let stop: Outcome | null = null;
		let streamError: unknown = null;
		// A run continuing after runtime tool results counts on from where it paused.
		let step = run.steps;
		let tokens = run.usage.inputTokens + run.usage.outputTokens;
		try {
			const model = await languageModelFor(ctx, run);
			const guard = new ToolGuard(limits.maxConsecutiveToolFailures);
			const context = await ctx.runQuery(internal.agent.runs.projectContextUnchecked, {
				projectId: run.projectId
			});
			// Turns before the recent window (and the prompt itself) are sent as a digest.
			const history = await listMessages(ctx, components.agent, {
				threadId,
				paginationOpts: { cursor: null, numItems: RECENT_MESSAGES + 1 + DIGEST_WINDOW },
				excludeToolMessages: false
			});
			const digest = historyDigest(
				history.page
					.slice(RECENT_MESSAGES + 1)
					.reverse()
					.flatMap((doc) => (doc.message ? [doc.message] : []))
			);
			const agent = new Agent(components.agent, {
				name: 'builder',
				languageModel: model,
				// The instructions depend only on the template: a stable prefix that prompt
				// caches reuse across steps and runs (Anthropic needs the explicit marker).
				instructions: {
					role: 'system',
					content: composeInstructions({ template }),
					providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } }
				},
				contextOptions: { recentMessages: RECENT_MESSAGES, excludeToolMessages: false },
				// After the prefix: what the project looks like now, then the conversation.
				contextHandler: (_ctx, { allMessages }) => [
					{ role: 'system', content: projectContext(context.files, context.recent) },
					...(digest ? [{ role: 'system' as const, content: digest }] : []),
					...allMessages
				]
			});
			const result = await agent.streamText(
				ctx,
				{ threadId, userId: run.ownerId },
				{
					promptMessageId: run.resumeMessageId ?? run.promptMessageId,
					tools: {
						// Every write of one model step lands in one checkpoint.
						...projectFileTools({
							projectId: run.projectId,
							stepKey: () => `${runId}:${step}`,
							guard
						}),
						// No implementation here: a step calling these ends, and the workbench runs them.
						...runtimeTools()
					},
					maxRetries: limits.modelRetries,
					stopWhen: [stepCountIs(Math.max(limits.maxSteps - run.steps, 1)), () => stop !== null],
					onError: ({ error }) => {
						streamError = error;
					},
					onStepFinish: async (event) => {
						step += 1;
						const usage = tokenUsage(event.usage);
						tokens += usage.inputTokens + usage.outputTokens;
						const { cancelRequested } = await ctx.runMutation(
							internal.agent.runs.recordStepUnchecked,
							{ runId, usage, costUsd: estimateCostUsd(run, usage) }
						);
						if (cancelRequested) stop = { status: 'cancelled' };
						else if (guard.exhausted) {
							stop = {
								status: 'failed',
								error: `Stopped after ${guard.consecutiveFailures} failed tool calls in a row.`
							};
						} else if (tokens > limits.tokenBudgetPerRun) {
							stop = {
								status: 'failed',
								error: `Stopped: the run used ${tokens} tokens, over its budget of ${limits.tokenBudgetPerRun}.`
							};
						}
					}
				},
				{ saveStreamDeltas: true }
			);
			await result.consumeStream();
			if (streamError) throw streamError;
			const finishReason = await result.finishReason;
			if (!stop && step < limits.maxSteps && finishReason === 'tool-calls') {
				const calls = unansweredRuntimeCalls(await result.steps);
				if (calls.length > 0) {
					const messageId = await messageHoldingCall(ctx, threadId, calls[0].toolCallId);
					await ctx.runMutation(internal.runtimeCalls.requestUnchecked, {
						runId,
						messageId,
						calls
					});
					// The run goes on when the workbench has answered (convex/runtimeCalls.ts).
					return null;
				}
			}
			if (!stop && step >= limits.maxSteps && finishReason === 'tool-calls') {
				stop = {
					status: 'failed',
					error: `Stopped after ${limits.maxSteps} steps without finishing. Send a follow-up to continue.`
				};
			}
		} catch (error) {
			stop = { status: 'failed', error: readableModelError(error) };
		}
		const outcome: Outcome = stop ?? { status: 'succeeded' };
		await ctx.runMutation(internal.agent.runs.finishUnchecked, {
			runId,
			status: outcome.status,
			error: 'error' in outcome ? outcome.error : undefined
		});
		return null;
	}
});

/** The id of the thread's assistant message holding a tool call (among the newest). */
async function messageHoldingCall(ctx: ActionCtx, threadId: string, toolCallId: string) {
	const newest = await listMessages(ctx, components.agent, {
		threadId,
		paginationOpts: { cursor: null, numItems: 20 },
		excludeToolMessages: false
	});
	const holder = newest.page.find((doc) => {
		const content = doc.message?.role === 'assistant' ? doc.message.content : null;
		return (
			Array.isArray(content) &&
			content.some((part) => part.type === 'tool-call' && part.toolCallId === toolCallId)
		);
	});
	if (!holder) throw new Error(`The message with tool call ${toolCallId} was not saved.`);
	return holder._id;
}

function tokenUsage(usage: LanguageModelUsage): TokenUsage {
	return {
		inputTokens: usage.inputTokens ?? 0,
		outputTokens: usage.outputTokens ?? 0,
		cachedTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0
	};
}
