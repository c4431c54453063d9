// @vitest-environment node
// Drives the fake LLM through the real provider path (ai SDK → @ai-sdk/openai-compatible →
// HTTP → SSE parsing), so a wire-format mistake here shows up as an SDK failure, not a pass.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeLlmHealth, fakeLlmRequests, resetFakeLlm, scriptFakeLlm } from './client';
import { startFakeLlm, type FakeLlm } from './server';

const here = dirname(fileURLToPath(import.meta.url));
let server: FakeLlm;

beforeAll(async () => {
	server = await startFakeLlm({ port: 0, apiKey: 'k' });
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => {
	server.reset();
});

function model(apiKey = 'k') {
	const provider = createOpenAICompatible({
		name: 'fake',
		baseURL: server.url,
		apiKey,
		includeUsage: true
	});
	return provider('fake-model');
}

/** Every part of a stream, so a test sees errors and deltas the way a UI consumer would. */
async function parts(result: { fullStream: AsyncIterable<{ type: string }> }) {
	const seen: { type: string; [key: string]: unknown }[] = [];
	for await (const part of result.fullStream) seen.push(part);
	return seen;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to fail');
}

describe('fake LLM through the ai SDK', () => {
	it('streams text in several deltas', async () => {
		server.script([{ text: 'The grocery list is ready for you.' }]);
		const result = streamText({ model: model(), prompt: 'hi' });
		const deltas: string[] = [];
		for await (const delta of result.textStream) deltas.push(delta);
		expect(deltas.length).toBeGreaterThanOrEqual(3);
		expect(deltas.join('')).toBe('The grocery list is ready for you.');
		expect(await result.finishReason).toBe('stop');
	});

	it('sends an array of text as exactly those deltas', async () => {
		server.script([{ text: ['Hel', 'lo', ' wor', 'ld'], chunkDelayMs: 5 }]);
		const result = streamText({ model: model(), prompt: 'hi' });
		const deltas: string[] = [];
		for await (const delta of result.textStream) deltas.push(delta);
		expect(deltas).toEqual(['Hel', 'lo', ' wor', 'ld']);
	});

	it('streams a tool call whose JSON arguments arrive in pieces', async () => {
		server.script([
			{
				text: 'Writing the file.',
				toolCalls: [{ name: 'writeFile', args: { path: 'src/App.svelte', content: '<h1>Hi</h1>' } }]
			}
		]);
		const result = streamText({
			model: model(),
			prompt: 'build it',
			tools: {
				writeFile: tool({
					description: 'Write a file',
					inputSchema: z.object({ path: z.string(), content: z.string() })
				})
			}
		});
		const seen = await parts(result);
		expect(seen.filter((p) => p.type === 'tool-input-delta').length).toBeGreaterThanOrEqual(2);
		const calls = await result.toolCalls;
		expect(calls).toHaveLength(1);
		expect(calls[0].toolName).toBe('writeFile');
		expect(calls[0].toolCallId).toBe('call_fake_1_0');
		expect(calls[0].input).toEqual({ path: 'src/App.svelte', content: '<h1>Hi</h1>' });
		expect(await result.finishReason).toBe('tool-calls');
		expect(await result.text).toBe('Writing the file.');
	});

	it('runs a tool and answers the second request with the next turn', async () => {
		server.script([
			{ toolCalls: [{ name: 'readFile', args: { path: 'package.json' }, id: 'call_read' }] },
			{
				text: 'The project is called demo.',
				// The SDK must send the tool's result back before the model answers.
				expect: (request) => {
					const toolMessage = request.messages.find((m) => m.role === 'tool');
					if (toolMessage?.tool_call_id !== 'call_read') return 'no tool result for call_read';
				}
			}
		]);
		const result = streamText({
			model: model(),
			prompt: 'what is the name?',
			stopWhen: stepCountIs(3),
			tools: {
				readFile: tool({
					description: 'Read a file',
					inputSchema: z.object({ path: z.string() }),
					execute: async ({ path }) => ({ path, text: '{"name":"demo"}' })
				})
			}
		});
		expect(await result.text).toBe('The project is called demo.');
		expect((await result.steps).length).toBe(2);
		const requests = server.requests();
		expect(requests.map((r) => r.turn)).toEqual([0, 1]);
		const second = requests[1].body!;
		const assistant = second.messages.find((m) => m.role === 'assistant');
		expect(assistant?.tool_calls?.[0]).toMatchObject({
			id: 'call_read',
			function: { name: 'readFile', arguments: '{"path":"package.json"}' }
		});
		const toolMessage = second.messages.find((m) => m.role === 'tool');
		expect(toolMessage?.tool_call_id).toBe('call_read');
		expect(JSON.parse(String(toolMessage?.content))).toEqual({
			path: 'package.json',
			text: '{"name":"demo"}'
		});
		expect(server.remaining()).toBe(0);
	});

	it('reports scripted usage, including cached input tokens', async () => {
		server.script([{ text: 'ok', usage: { input: 1200, output: 34, cached: 1000 } }]);
		const result = streamText({ model: model(), prompt: 'hi' });
		await result.consumeStream();
		const usage = await result.usage;
		expect(usage.inputTokens).toBe(1200);
		expect(usage.outputTokens).toBe(34);
		expect(usage.inputTokenDetails.cacheReadTokens).toBe(1000);
		expect(usage.inputTokenDetails.noCacheTokens).toBe(200);
		expect(server.requests()[0].body?.stream_options).toEqual({ include_usage: true });
	});

	it('answers non-streaming requests from the same script', async () => {
		server.script([
			{ text: 'plain answer', usage: { input: 10, output: 2 } },
			{ toolCalls: [{ name: 'deleteFile', args: { path: 'a.txt' } }] }
		]);
		const first = await generateText({ model: model(), prompt: 'hi' });
		expect(first.text).toBe('plain answer');
		expect(first.usage.inputTokens).toBe(10);
		expect(first.usage.outputTokens).toBe(2);
		const second = await generateText({
			model: model(),
			prompt: 'delete it',
			tools: {
				deleteFile: tool({ description: 'Delete', inputSchema: z.object({ path: z.string() }) })
			}
		});
		expect(second.finishReason).toBe('tool-calls');
		expect(second.toolCalls[0].input).toEqual({ path: 'a.txt' });
		expect(server.requests().map((r) => r.stream)).toEqual([false, false]);
	});

	it('honours a scripted finish reason', async () => {
		server.script([{ text: 'cut off', finishReason: 'length' }]);
		const result = streamText({ model: model(), prompt: 'hi' });
		await result.consumeStream();
		expect(await result.finishReason).toBe('length');
	});

	it('lets the SDK retry a 500 and succeed on the next turn', async () => {
		server.script([
			{ error: { status: 500, headers: { 'retry-after-ms': '0' } } },
			{ text: 'recovered' }
		]);
		const result = await generateText({ model: model(), prompt: 'hi', maxRetries: 1 });
		expect(result.text).toBe('recovered');
		const requests = server.requests();
		expect(requests).toHaveLength(2);
		expect(requests.map((r) => r.outcome)).toEqual(['error', 'answered']);
	});

	it('surfaces a 429 as an APICallError when retries are off', async () => {
		server.script([
			{ error: { status: 429, headers: { 'retry-after': '7' } } },
			{ text: 'never sent' }
		]);
		const error = await rejection(generateText({ model: model(), prompt: 'hi', maxRetries: 0 }));
		expect(APICallError.isInstance(error)).toBe(true);
		const apiError = error as APICallError;
		expect(apiError.statusCode).toBe(429);
		expect(apiError.isRetryable).toBe(true);
		expect(apiError.responseHeaders?.['retry-after']).toBe('7');
		expect(apiError.message).toContain('rate limit');
		expect(server.requests()).toHaveLength(1);
		expect(server.remaining()).toBe(1);
	});

	it('sends a custom error body verbatim', async () => {
		server.script([
			{ error: { status: 400, body: { error: { message: 'context too long', type: 'x' } } } }
		]);
		const error = await rejection(generateText({ model: model(), prompt: 'hi', maxRetries: 0 }));
		expect((error as APICallError).statusCode).toBe(400);
		expect((error as APICallError).message).toBe('context too long');
	});

	it('breaks a stream after N chunks: partial text, then an error', async () => {
		server.script([{ breakAfterChunks: 2, text: ['Hello ', 'there ', 'never ', 'arrives'] }]);
		const result = streamText({ model: model(), prompt: 'hi', maxRetries: 0 });
		// The SDK rethrows a body that dies mid-read from the stream itself.
		const seen: { type: string; [key: string]: unknown }[] = [];
		let thrown: unknown;
		try {
			for await (const part of result.fullStream) seen.push(part);
		} catch (error) {
			thrown = error;
		}
		const text = seen
			.filter((p) => p.type === 'text-delta')
			.map((p) => p.text)
			.join('');
		expect(text).toBe('Hello there ');
		expect(APICallError.isInstance(thrown)).toBe(true);
		expect(String((thrown as APICallError).cause)).toContain('terminated');
		expect(seen.some((p) => p.type === 'finish')).toBe(false);
		expect(server.requests()[0].outcome).toBe('broken');
	});

	it('hangs until the client gives up', async () => {
		server.script([{ hangMs: 10_000 }]);
		const started = Date.now();
		const error = await rejection(
			generateText({ model: model(), prompt: 'hi', maxRetries: 0, timeout: 200 })
		);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(String(error)).toMatch(/timeout|abort/i);
		expect(server.requests()[0].outcome).toBe('hung');
	});

	it('records the messages, tools and model id that were sent', async () => {
		server.script([{ text: 'ok' }]);
		await generateText({
			model: model(),
			system: 'You build Convex apps.',
			prompt: 'a grocery list',
			tools: {
				listFiles: tool({ description: 'List files', inputSchema: z.object({}) })
			}
		});
		const [request] = await fakeLlmRequests(server.url);
		expect(request.body?.model).toBe('fake-model');
		expect(request.body?.messages).toEqual([
			{ role: 'system', content: 'You build Convex apps.' },
			{ role: 'user', content: 'a grocery list' }
		]);
		expect(request.body?.tools?.map((t) => t.function.name)).toEqual(['listFiles']);
		expect(request.turn).toBe(0);
		expect(request.kind).toBe('reply');
		expect(request.headers.authorization).toBeUndefined();
		expect(request.authorized).toBe(true);
	});

	it('fails clearly when no scripted turn is left', async () => {
		server.script([]);
		const error = await rejection(generateText({ model: model(), prompt: 'hi', maxRetries: 0 }));
		expect((error as APICallError).statusCode).toBe(500);
		expect((error as APICallError).message).toContain('fake LLM: no scripted turn left');
		expect(server.requests()[0].outcome).toBe('no-turn');
	});

	it('fails fast on an empty queue even with the default retries', async () => {
		const started = Date.now();
		const error = await rejection(generateText({ model: model(), prompt: 'hi' }));
		// Without retry-after-ms: 0 the SDK's backoff would wait 2 s + 4 s here.
		expect(Date.now() - started).toBeLessThan(1_500);
		expect(String(error)).toContain('fake LLM: no scripted turn left');
		expect(server.requests().map((r) => r.outcome)).toEqual(['no-turn', 'no-turn', 'no-turn']);
	});

	it('answers a failed expectation with 400 and records it', async () => {
		server.script([{ text: 'ok', expect: () => 'wanted the file index in the prompt' }]);
		const error = await rejection(generateText({ model: model(), prompt: 'hi', maxRetries: 0 }));
		expect((error as APICallError).statusCode).toBe(400);
		expect((error as APICallError).message).toContain('wanted the file index in the prompt');
		const [request] = server.requests();
		expect(request.outcome).toBe('expectation-failed');
		expect(request.error).toContain('wanted the file index');
	});

	it('checks JSON-able expectContains', async () => {
		server.script([
			{ text: 'a', expectContains: 'grocery' },
			{ text: 'b', expectContains: 'zzz' }
		]);
		expect((await generateText({ model: model(), prompt: 'grocery' })).text).toBe('a');
		const error = await rejection(generateText({ model: model(), prompt: 'x', maxRetries: 0 }));
		expect((error as APICallError).message).toContain('lacks "zzz"');
	});

	it('refuses a wrong API key with 401 without consuming a turn', async () => {
		server.script([{ text: 'ok' }]);
		const error = await rejection(
			generateText({ model: model('wrong'), prompt: 'hi', maxRetries: 0 })
		);
		expect((error as APICallError).statusCode).toBe(401);
		expect(server.remaining()).toBe(1);
		expect(server.requests()[0]).toMatchObject({ outcome: 'unauthorized', authorized: false });
	});

	it('lists models, behind the same key', async () => {
		const ok = await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer k' } });
		expect(await ok.json()).toMatchObject({ object: 'list', data: [{ id: 'fake-model' }] });
		expect((await fetch(`${server.url}/models`)).status).toBe(401);
	});
});

describe('control API over HTTP', () => {
	it('scripts, reads and resets through the client helpers', async () => {
		await scriptFakeLlm(server.url, [{ text: 'from another process' }]);
		expect((await fakeLlmHealth(server.url)).remaining).toBe(1);
		const result = await generateText({ model: model(), prompt: 'hi' });
		expect(result.text).toBe('from another process');
		expect(await fakeLlmRequests(server.url)).toHaveLength(1);
		await resetFakeLlm(server.url);
		expect(await fakeLlmRequests(server.url)).toEqual([]);
	});

	it('rejects a malformed script with the turn index', async () => {
		const bad = [{ text: 'ok' }, { error: { status: 'oops' } }] as never;
		await expect(scriptFakeLlm(server.url, bad)).rejects.toThrow(/turns\[1\]\.error/);
		const typo = [{ txt: 'ok' }] as never;
		await expect(scriptFakeLlm(server.url, typo)).rejects.toThrow(/unknown key 'txt'/);
	});
});

describe('CLI', () => {
	const mainTs = join(here, 'main.ts');

	function readyUrl(stdout: NodeJS.ReadableStream): Promise<string> {
		const lines = createInterface({ input: stdout });
		return new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('no FAKE_LLM_READY line')), 15_000);
			lines.on('line', (line) => {
				const match = /^FAKE_LLM_READY url=(\S+)$/.exec(line);
				if (match) {
					clearTimeout(timer);
					resolve(match[1]);
				}
			});
		});
	}

	function alive(pid: number): boolean {
		try {
			process.kill(pid, 0);
			return true;
		} catch {
			return false;
		}
	}

	it('prints the ready line, serves, and exits on SIGTERM', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', mainTs, '--port', '0'], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		try {
			const url = await readyUrl(child.stdout!);
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
			await scriptFakeLlm(url, [{ text: 'cli ok' }]);
			const provider = createOpenAICompatible({ name: 'fake', baseURL: url, includeUsage: true });
			const result = await generateText({ model: provider('m'), prompt: 'hi' });
			expect(result.text).toBe('cli ok');
			const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	}, 30_000);

	it('exits by itself when its parent is killed', async () => {
		// A shell stands in for a test runner that dies with SIGKILL and cannot clean up.
		const shell = spawn(
			'/bin/sh',
			['-c', `"${process.execPath}" --import tsx "${mainTs}" --port 0 & echo "pid=$!"; wait`],
			{ stdio: ['ignore', 'pipe', 'inherit'] }
		);
		const pidLine = new Promise<number>((resolve) => {
			createInterface({ input: shell.stdout! }).on('line', (line) => {
				const match = /^pid=(\d+)$/.exec(line);
				if (match) resolve(Number(match[1]));
			});
		});
		const url = readyUrl(shell.stdout!);
		const pid = await pidLine;
		try {
			await url;
			expect(alive(pid)).toBe(true);
			shell.kill('SIGKILL');
			const deadline = Date.now() + 5_000;
			while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
			expect(alive(pid)).toBe(false);
		} finally {
			if (alive(pid)) process.kill(pid, 'SIGKILL');
		}
	}, 30_000);
});
