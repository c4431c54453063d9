// Runtime tool calls between the agent and the open workbench. When a model step ends on
// runtime tools (src/lib/shared/runtimeTools.ts), the run waits in `waiting_for_runtime`; the
// workbench of the project's owner sees the calls, claims each (so two tabs never run one
// twice), runs it in its preview runtime and submits the result. When the batch is answered,
// one tool message with every result goes into the thread and the run continues from it.
// A call nobody claims (no workbench open) or answers in time resolves as an error result the
// model can read, so a run never waits forever.
import { saveMessage } from '@convex-dev/agent';
import { v } from 'convex/values';
import { components, internal } from './_generated/api';
import type { Doc, Id } from './_generated/dataModel';
import { internalMutation, type MutationCtx } from './_generated/server';
import { fail } from './errors';
import { getOwnedProject, userMutation, userQuery } from './functions';
import { applyEdits } from './model/fileStore';
import { getFileRow } from './model/fileStore';
import { stepMessage } from './model/history';
import {
	isRuntimeTool,
	resultTail,
	RUNTIME_CLAIM_MS,
	RUNTIME_RESULT_CHARS,
	RUNTIME_RUN_MS
} from '../src/lib/shared/runtimeTools';
import { checkPath } from '../src/lib/shared/paths';

/** Files a runtime tool may write back into the project: what codegen and npm produce. */
const WRITE_BACK = /^(convex\/_generated\/[^/]+|package\.json|package-lock\.json)$/;
const MAX_WRITE_BACK_FILES = 20;

const NOT_CLAIMED = `No open workbench ran this tool within ${RUNTIME_CLAIM_MS / 1000} s: runtime tools need the project open in the builder with its preview running. Continue without this result, and tell the person to open the project's preview if it matters.`;
const NOT_ANSWERED = `The workbench that took this call did not answer within ${RUNTIME_RUN_MS / 60_000} minutes.`;
const CANCELLED = 'The person stopped the run before this tool finished.';

/** The step ended on these runtime calls: the run waits for the workbench. */
export const requestUnchecked = internalMutation({
	args: {
		runId: v.id('runs'),
		messageId: v.string(),
		calls: v.array(v.object({ toolCallId: v.string(), toolName: v.string(), input: v.any() }))
	},
	returns: v.null(),
	handler: async (ctx, { runId, messageId, calls }) => {
		const run = await ctx.db.get(runId);
		if (!run || run.status !== 'running') return null;
		const deadline = Date.now() + RUNTIME_CLAIM_MS;
		for (const call of calls) {
			if (!isRuntimeTool(call.toolName)) throw new Error(`${call.toolName} is no runtime tool`);
			await ctx.db.insert('runtimeCalls', {
				runId,
				projectId: run.projectId,
				ownerId: run.ownerId,
				messageId,
				...call,
				status: 'pending',
				deadline
			});
		}
		await ctx.db.patch(runId, { status: 'waiting_for_runtime', waitingOnMessageId: messageId });
		await ctx.scheduler.runAt(deadline, internal.runtimeCalls.expireUnchecked, { runId });
		// A stop asked for during the step is honoured now instead of after the tools ran.
		if (run.cancelRequested) await closeCalls(ctx, runId, CANCELLED);
		return null;
	}
});

const vCallView = v.object({
	_id: v.id('runtimeCalls'),
	toolName: v.string(),
	input: v.any(),
	status: v.union(v.literal('pending'), v.literal('claimed'))
});

/** The project's runtime calls not answered yet, for the workbench to run. */
export const open = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.array(vCallView),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const rows = [];
		for (const status of ['pending', 'claimed'] as const) {
			rows.push(
				...(await ctx.db
					.query('runtimeCalls')
					.withIndex('by_projectId_and_status', (q) =>
						q.eq('projectId', projectId).eq('status', status)
					)
					.take(50))
			);
		}
		return rows.map(({ _id, toolName, input, status }) => ({
			_id,
			toolName,
			input,
			status: status as 'pending' | 'claimed'
		}));
	}
});

/** Takes a pending call for this workbench. False when another tab took it first. */
export const claim = userMutation({
	args: { callId: v.id('runtimeCalls') },
	returns: v.boolean(),
	handler: async (ctx, { callId }) => {
		const call = await ownedCall(ctx, ctx.userId, callId);
		if (call.status !== 'pending') return false;
		const deadline = Date.now() + RUNTIME_RUN_MS;
		await ctx.db.patch(callId, { status: 'claimed', deadline });
		await ctx.scheduler.runAt(deadline, internal.runtimeCalls.expireUnchecked, {
			runId: call.runId
		});
		return true;
	}
});

/**
 * The workbench's answer to a call it claimed. `files` are what the tool produced in the
 * runtime (convex/_generated after codegen, the manifests after adding packages); they are
 * saved as part of the agent's step, so exports and deploys match what was checked.
 */
export const submit = userMutation({
	args: {
		callId: v.id('runtimeCalls'),
		isError: v.boolean(),
		output: v.string(),
		files: v.optional(v.array(v.object({ path: v.string(), content: v.string() })))
	},
	returns: v.null(),
	handler: async (ctx, { callId, isError, output, files = [] }) => {
		const call = await ownedCall(ctx, ctx.userId, callId);
		if (call.status !== 'claimed') return null; // expired or cancelled meanwhile
		if (files.length > MAX_WRITE_BACK_FILES) {
			fail('TOO_MANY', `A runtime tool writes back at most ${MAX_WRITE_BACK_FILES} files.`);
		}
		for (const file of files) {
			const check = checkPath(file.path);
			if (!check.ok || !WRITE_BACK.test(file.path)) {
				fail('INVALID_PATH', `A runtime tool cannot write ${file.path}.`);
			}
		}
		await ctx.db.patch(callId, {
			status: 'done',
			result: { isError, output: resultTail(output, RUNTIME_RESULT_CHARS) }
		});
		const run = await ctx.db.get(call.runId);
		if (run && files.length > 0) await writeBack(ctx, run, files);
		await continueIfAnswered(ctx, call.runId);
		return null;
	}
});

/** Calls past their deadline resolve as errors; the run continues once its batch is done. */
export const expireUnchecked = internalMutation({
	args: { runId: v.id('runs') },
	returns: v.null(),
	handler: async (ctx, { runId }) => {
		const now = Date.now();
		const calls = await ctx.db
			.query('runtimeCalls')
			.withIndex('by_runId', (q) => q.eq('runId', runId))
			.take(200);
		for (const call of calls) {
			if (call.status === 'done' || call.deadline > now) continue;
			const output = call.status === 'pending' ? NOT_CLAIMED : NOT_ANSWERED;
			await ctx.db.patch(call._id, { status: 'done', result: { isError: true, output } });
		}
		await continueIfAnswered(ctx, runId);
		return null;
	}
});

/** The person stopped a waiting run: its calls close at once, and the run ends cancelled. */
export async function closeCalls(ctx: MutationCtx, runId: Id<'runs'>, output = CANCELLED) {
	const calls = await ctx.db
		.query('runtimeCalls')
		.withIndex('by_runId', (q) => q.eq('runId', runId))
		.take(200);
	for (const call of calls) {
		if (call.status !== 'done') {
			await ctx.db.patch(call._id, { status: 'done', result: { isError: true, output } });
		}
	}
	await continueIfAnswered(ctx, runId);
}

async function ownedCall(
	ctx: MutationCtx,
	userId: Id<'users'>,
	callId: Id<'runtimeCalls'>
): Promise<Doc<'runtimeCalls'>> {
	const call = await ctx.db.get(callId);
	if (!call || call.ownerId !== userId) fail('NOT_FOUND', 'Runtime call not found.');
	return call;
}

/**
 * When every call of the waiting batch has its result: one tool message with all of them
 * goes into the thread, filed right after the calls, and the run is queued to continue from
 * it (or ends, if the person asked to stop).
 */
async function continueIfAnswered(ctx: MutationCtx, runId: Id<'runs'>) {
	const run = await ctx.db.get(runId);
	if (!run || run.status !== 'waiting_for_runtime' || !run.waitingOnMessageId) return;
	const batch = (
		await ctx.db
			.query('runtimeCalls')
			.withIndex('by_runId', (q) => q.eq('runId', runId))
			.take(200)
	).filter((call) => call.messageId === run.waitingOnMessageId);
	if (batch.some((call) => call.status !== 'done')) return;
	const session = await ctx.db.get(run.sessionId);
	if (!session) return;
	const { messageId } = await saveMessage(ctx, components.agent, {
		threadId: session.threadId,
		userId: run.ownerId,
		promptMessageId: run.waitingOnMessageId,
		message: {
			role: 'tool',
			content: batch.map((call) => ({
				type: 'tool-result' as const,
				toolCallId: call.toolCallId,
				toolName: call.toolName,
				output: call.result!.isError
					? { type: 'error-text' as const, value: call.result!.output }
					: { type: 'text' as const, value: call.result!.output }
			}))
		}
	});
	if (run.cancelRequested) {
		await ctx.db.patch(runId, {
			status: 'cancelled',
			waitingOnMessageId: undefined,
			endedAt: Date.now()
		});
		await ctx.db.patch(session._id, { updatedAt: Date.now() });
		return;
	}
	await ctx.db.patch(runId, {
		status: 'queued',
		waitingOnMessageId: undefined,
		resumeMessageId: messageId
	});
	await ctx.scheduler.runAfter(0, internal.agent.generate.generate, { runId });
}

/** Saves what a runtime tool produced into the checkpoint of the step that called it. */
async function writeBack(
	ctx: MutationCtx,
	run: Doc<'runs'>,
	files: { path: string; content: string }[]
) {
	const project = await ctx.db.get(run.projectId);
	if (!project) return;
	const edits = [];
	for (const file of files) {
		const row = await getFileRow(ctx, project._id, file.path);
		edits.push({
			kind: 'write' as const,
			path: file.path,
			content: file.content,
			baseHash: row?.hash ?? null
		});
	}
	await applyEdits(ctx, project, edits, {
		kind: 'agent',
		message: stepMessage(files.map((f) => f.path)),
		updatedBy: 'agent',
		stepKey: `${run._id}:${Math.max(run.steps - 1, 0)}`
	});
}
