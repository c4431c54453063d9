// Runtime tools under convex-test: a step that calls run_checks ends, the run waits for the
// workbench, the workbench claims and answers, and the run continues from the result. The
// real agent component and run state machine; only the model is scripted.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { api, internal } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { scripted, session, settle, threadOf } from './agent-session';
import type { Test } from './setup';

vi.mock('../../convex/agent/languageModel', async (importOriginal) => ({
	...(await importOriginal<object>()),
	languageModelFor: async () => {
		if (!scripted.model) throw new Error('test: no scripted model');
		return scripted.model;
	}
}));

afterEach(() => {
	scripted.model = null;
});

const runChecks = { name: 'run_checks', input: { checks: ['typecheck'] } };

/** The text of every message the model was sent on its `call`-th request (0-based). */
function promptOf(call: number) {
	return JSON.stringify(scripted.model!.doStreamCalls[call].prompt);
}

async function callsOf(t: Test, runId: Id<'runs'>) {
	return await t.run((ctx) =>
		ctx.db
			.query('runtimeCalls')
			.withIndex('by_runId', (q) => q.eq('runId', runId))
			.collect()
	);
}

describe('runtime tools', () => {
	test('run_checks waits for the workbench; its answer and generated files continue the run', async () => {
		const { t, me, projectId, sessionId, send } = await session([
			{ text: 'Checking. ', toolCalls: [runChecks] },
			{ text: 'The checks pass now.' }
		]);
		const runId = await send('check it');
		const waiting = await settle(t, runId);
		expect(waiting.status).toBe('waiting_for_runtime');
		expect(scripted.model!.calls).toBe(1);

		const [call] = await me.as.query(api.runtimeCalls.open, { projectId });
		expect(call).toMatchObject({ toolName: 'run_checks', status: 'pending' });
		expect(call.input).toEqual({ checks: ['typecheck'] });
		// Two tabs: only one runs the call.
		expect(await me.as.mutation(api.runtimeCalls.claim, { callId: call._id })).toBe(true);
		expect(await me.as.mutation(api.runtimeCalls.claim, { callId: call._id })).toBe(false);

		await me.as.mutation(api.runtimeCalls.submit, {
			callId: call._id,
			isError: false,
			output:
				'typecheck failed (exit 1):\nsrc/app.ts:1:7 Type "string" is not assignable to "number".',
			files: [{ path: 'convex/_generated/api.d.ts', content: 'export declare const api: {};\n' }]
		});
		const run = await settle(t, runId);
		expect(run).toMatchObject({ status: 'succeeded', steps: 2 });
		expect(promptOf(1)).toContain('is not assignable to');
		expect(await me.as.query(api.runtimeCalls.open, { projectId })).toEqual([]);

		// What codegen wrote is the agent's, in the step that asked for it.
		const files = await me.as.query(api.files.list, { projectId });
		expect(files.map((f) => [f.path, f.updatedBy])).toEqual([
			['convex/_generated/api.d.ts', 'agent']
		]);
		const thread = JSON.stringify((await threadOf(t, sessionId)).page);
		expect(thread).toContain('tool-result');
		expect(thread).toContain('The checks pass now.');
	});

	test('with no workbench open, the call resolves as an error the model reads', async () => {
		const { t, send } = await session([
			{ toolCalls: [{ name: 'read_preview_logs', input: {} }] },
			{ text: 'I could not read the logs.' }
		]);
		const runId = await send('what broke?');
		await settle(t, runId);
		// The claim deadline passes with nobody claiming.
		for (const call of await callsOf(t, runId)) {
			await t.run((ctx) => ctx.db.patch(call._id, { deadline: Date.now() - 1 }));
		}
		await t.mutation(internal.runtimeCalls.expireUnchecked, { runId });
		const run = await settle(t, runId);
		expect(run.status).toBe('succeeded');
		expect(promptOf(1)).toContain('No open workbench ran this tool');
	});

	test('two runtime calls in one step continue only when both are answered', async () => {
		const { t, me, projectId, send } = await session([
			{ toolCalls: [runChecks, { name: 'read_preview_logs', input: {} }] },
			{ text: 'Both read.' }
		]);
		const runId = await send('look at everything');
		await settle(t, runId);
		const calls = await me.as.query(api.runtimeCalls.open, { projectId });
		expect(calls.map((c) => c.toolName).sort()).toEqual(['read_preview_logs', 'run_checks']);
		for (const [i, call] of calls.entries()) {
			await me.as.mutation(api.runtimeCalls.claim, { callId: call._id });
			await me.as.mutation(api.runtimeCalls.submit, {
				callId: call._id,
				isError: false,
				output: `answer ${i}`
			});
			const run = await settle(t, runId);
			expect(run.status).toBe(i === 0 ? 'waiting_for_runtime' : 'succeeded');
		}
		expect(promptOf(1)).toContain('answer 0');
		expect(promptOf(1)).toContain('answer 1');
	});

	test('stop while waiting ends the run at once and closes its calls', async () => {
		const { t, me, projectId, send } = await session([
			{ toolCalls: [runChecks] },
			{ text: 'never reached' }
		]);
		const runId = await send('check');
		await settle(t, runId);
		await me.as.mutation(api.sessions.cancel, { runId });
		const run = await t.run((ctx) => ctx.db.get(runId));
		expect(run!.status).toBe('cancelled');
		expect(await me.as.query(api.runtimeCalls.open, { projectId })).toEqual([]);
		await t.finishInProgressScheduledFunctions();
		expect(scripted.model!.calls).toBe(1);
	});

	test('a workbench cannot write back files other than generated ones, and nothing changes', async () => {
		const { t, me, projectId, send } = await session([{ toolCalls: [runChecks] }]);
		const runId = await send('check');
		await settle(t, runId);
		const [call] = await me.as.query(api.runtimeCalls.open, { projectId });
		await me.as.mutation(api.runtimeCalls.claim, { callId: call._id });
		for (const path of ['src/app.ts', '../escape.ts', 'convex/_generated/../../x.ts']) {
			await expect(
				me.as.mutation(api.runtimeCalls.submit, {
					callId: call._id,
					isError: false,
					output: 'ok',
					files: [{ path, content: 'x' }]
				})
			).rejects.toMatchObject({ data: { code: 'INVALID_PATH' } });
		}
		expect(await me.as.query(api.files.list, { projectId })).toEqual([]);
		expect((await callsOf(t, runId))[0].status).toBe('claimed');
	});
});
