// The agent loop end to end under convex-test: the real sessions API, agent component, file
// tools and run state machine, with only the language model replaced by a script.
import { saveMessages } from '@convex-dev/agent';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { api, components } from '../../convex/_generated/api';
import { scripted, session, settle, threadOf } from './agent-session';

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

const write = (path: string, content: string) => ({
	name: 'write_file',
	input: { path, content }
});

describe('a run', () => {
	test('writes three files and edits one: one checkpoint per step, the whole exchange in the thread, usage recorded', async () => {
		const { t, me, projectId, sessionId, send } = await session([
			{
				text: 'Creating the files. ',
				toolCalls: [
					write('src/a.ts', 'export const a = 1;\n'),
					write('src/b.ts', 'export const b = 2;\n'),
					write('src/c.ts', 'export const c = 3;\n')
				]
			},
			{
				toolCalls: [
					{
						name: 'edit_file',
						input: { path: 'src/a.ts', edits: [{ search: 'a = 1', replace: 'a = 10' }] }
					}
				],
				usage: { input: 300, output: 40, cached: 200 }
			},
			{ text: 'Done: three modules, and a is now 10.' }
		]);
		const runId = await send('Make three modules');
		const run = await settle(t, runId);
		expect(run).toMatchObject({ status: 'succeeded', steps: 3 });
		expect(run.usage).toEqual({ inputTokens: 500, outputTokens: 80, cachedTokens: 200 });
		expect(await t.run((ctx) => ctx.db.query('usage').collect())).toHaveLength(3);

		const files = await me.as.query(api.files.list, { projectId });
		expect(files.map((f) => [f.path, f.updatedBy])).toEqual([
			['src/a.ts', 'agent'],
			['src/b.ts', 'agent'],
			['src/c.ts', 'agent']
		]);
		const [a] = await me.as.query(api.files.read, { projectId, hashes: [files[0].hash] });
		expect(a.content).toBe('export const a = 10;\n');

		const history = await me.as.query(api.checkpoints.list, { projectId });
		expect(history.map((c) => [c.kind, c.changeCount])).toEqual([
			['agent', 1],
			['agent', 3]
		]);

		const messages = (await threadOf(t, sessionId)).page;
		const text = JSON.stringify(messages.map((m) => m.message));
		expect(text).toContain('Make three modules');
		expect(text).toContain('"toolName":"write_file"');
		expect(text).toContain('"toolName":"edit_file"');
		expect(text).toContain('tool-result');
		expect(text).toContain('Done: three modules, and a is now 10.');

		const sessions = await me.as.query(api.sessions.list, { projectId });
		expect(sessions[0].title).toBe('Make three modules');
	});

	test('each run sends the stable instructions first, then the file index and recently changed files', async () => {
		const { t, me, projectId, send } = await session([{ text: 'Looked.' }]);
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [
				{ kind: 'write', path: 'src/notes.md', content: 'Remember the milk.', baseHash: null },
				{ kind: 'write', path: 'src/app.ts', content: 'export {};', baseHash: null }
			]
		});
		await settle(t, await send('what is there?'));
		const [system, context, ...rest] = scripted.model!.doStreamCalls[0].prompt;
		expect(system.role).toBe('system');
		expect(JSON.stringify(system)).toContain('code-writing agent');
		expect(system.providerOptions).toEqual({ anthropic: { cacheControl: { type: 'ephemeral' } } });
		expect(context.role).toBe('system');
		const contextText = JSON.stringify(context.content);
		expect(contextText).toContain('The project has 2 files');
		expect(contextText).toContain('src/notes.md (18 B)');
		expect(contextText).toContain('Remember the milk.');
		expect(JSON.stringify(rest)).toContain('what is there?');
	});

	test('turns older than the recent window reach the model as a digest, not in full', async () => {
		const { t, sessionId, send } = await session([{ text: 'ok' }]);
		const { threadId } = (await t.run((ctx) => ctx.db.get(sessionId)))!;
		// 25 earlier turns (50 messages): more than the 40 recent messages sent in full.
		await t.run((ctx) =>
			saveMessages(ctx, components.agent, {
				threadId,
				messages: Array.from({ length: 25 }, (_, i) => [
					{ role: 'user' as const, content: `request ${i}` },
					{ role: 'assistant' as const, content: `answer ${i}` }
				]).flat()
			})
		);
		await settle(t, await send('and now?'));
		const prompt = scripted.model!.doStreamCalls[0].prompt;
		const text = JSON.stringify(prompt);
		expect(text).toContain('Earlier in this session');
		expect(text).toContain('- Asked: request 0');
		// The oldest turns are in the digest only; the newest are sent as messages.
		const userTexts = prompt.filter((m) => m.role === 'user').map((m) => JSON.stringify(m.content));
		expect(userTexts.some((c) => c.includes('request 0"'))).toBe(false);
		expect(userTexts.some((c) => c.includes('request 24'))).toBe(true);
	});

	test('a provider 500 is retried and the run succeeds', async () => {
		const { t, send } = await session([{ httpError: 500 }, { text: 'Hello after a retry.' }]);
		const run = await settle(t, await send('hi'));
		expect(run.status).toBe('succeeded');
		expect(scripted.model!.calls).toBe(2);
	}, 10_000);

	test('a provider that keeps failing fails the run with a readable reason', async () => {
		const { t, send } = await session([{ httpError: 429 }, { httpError: 429 }, { httpError: 429 }]);
		const run = await settle(t, await send('hi'));
		expect(run.status).toBe('failed');
		expect(run.error).toContain('rate limiting');
		expect(scripted.model!.calls).toBe(3);
	}, 20_000); // the SDK's real backoff between retries is 2 s, then 4 s

	test('a stream that breaks midway fails the run, keeps the files consistent, and can be retried', async () => {
		const { t, me, projectId, sessionId, send } = await session([
			{ toolCalls: [write('kept.txt', 'saved before the break')] },
			{ breakAfterText: 'I was saying something when ' },
			{ text: 'Second try worked.' }
		]);
		const run = await settle(t, await send('go'));
		expect(run.status).toBe('failed');
		expect(run.error).toMatch(/stream failed|connection reset/i);
		expect((await me.as.query(api.files.list, { projectId })).map((f) => f.path)).toEqual([
			'kept.txt'
		]);
		const retry = await settle(t, await send('try again'));
		expect(retry.status).toBe('succeeded');
		expect(JSON.stringify((await threadOf(t, sessionId)).page)).toContain('Second try worked.');
	});

	test('five failing tool calls in a row end the run', async () => {
		const reads = [1, 2, 3, 4, 5, 6].map((n) => ({
			toolCalls: [{ name: 'read_file', input: { path: `missing-${n}.ts` } }]
		}));
		const { t, send } = await session(reads);
		const run = await settle(t, await send('read things'));
		expect(run.status).toBe('failed');
		expect(run.error).toContain('5 failed tool calls in a row');
		expect(run.steps).toBe(5);
	});

	test('stop during a step ends the run as cancelled after that step', async () => {
		let stop: () => Promise<unknown> = async () => {};
		const { t, me, projectId, sessionId, send } = await session(
			[
				{ toolCalls: [write('one.txt', '1')] },
				{ toolCalls: [write('two.txt', '2')] },
				{ text: 'never reached' }
			],
			{ beforeCall: async (call) => void (call === 1 && (await stop())) }
		);
		const runId = await send('write two files');
		stop = () => me.as.mutation(api.sessions.cancel, { runId });
		const run = await settle(t, runId);
		expect(run.status).toBe('cancelled');
		expect(scripted.model!.calls).toBe(2);
		// The step in flight finishes whole; nothing after it runs.
		expect((await me.as.query(api.files.list, { projectId })).map((f) => f.path)).toEqual([
			'one.txt',
			'two.txt'
		]);
		expect(JSON.stringify((await threadOf(t, sessionId)).page)).not.toContain('never reached');
	});

	test('a second prompt while a run is active is refused', async () => {
		const { send } = await session([{ text: 'slow' }]);
		await send('first');
		await expect(send('second')).rejects.toMatchObject({ data: { code: 'CONFLICT' } });
	});

	test('runs over the per-minute limit are refused with a clear message', async () => {
		const steps = Array.from({ length: 10 }, () => ({ text: 'ok' }));
		const { t, send } = await session(steps);
		for (let i = 0; i < 6; i++) await settle(t, await send(`prompt ${i}`));
		await expect(send('one too many')).rejects.toMatchObject({
			data: { code: 'RATE_LIMITED', message: expect.stringContaining('runs this minute') }
		});
	});

	test('prompts are bounded', async () => {
		const { send } = await session([]);
		await expect(send('   ')).rejects.toMatchObject({ data: { code: 'INVALID_ARGUMENT' } });
		await expect(send('x'.repeat(20_001))).rejects.toMatchObject({ data: { code: 'TOO_LARGE' } });
	});

	test('an unknown provider is refused and starts nothing', async () => {
		const { t, me, sessionId } = await session([]);
		await expect(
			me.as.mutation(api.sessions.send, { sessionId, prompt: 'hi', provider: 'nope', modelId: 'x' })
		).rejects.toMatchObject({ data: { code: 'INVALID_ARGUMENT' } });
		expect(await t.run((ctx) => ctx.db.query('runs').collect())).toEqual([]);
	});
});
