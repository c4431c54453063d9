// A fake OpenAI-compatible server for tests: answers `POST /v1/chat/completions` (streaming
// and not) from a per-test script, so the builder's real provider path (ai SDK →
// @ai-sdk/openai-compatible → HTTP → SSE parsing) runs unchanged. Control routes under `/__`
// let a test in another process script it and read what the model was sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	completionBody,
	defaultErrorBody,
	errorBody,
	estimateUsage,
	modelList,
	streamEvents,
	type ResponseContext
} from './openai';
import {
	checkTurn,
	parseTurns,
	turnKind,
	TurnQueue,
	type ChatCompletionRequest,
	type ReplyTurn,
	type Turn,
	type TurnKind
} from './script';
import { sleepUnlessClosed, writeStream } from './sse';

export interface FakeLlmOptions {
	/** 0 (default) picks a free port. The server binds 127.0.0.1 only. */
	port?: number;
	/** When set, `/v1/*` requires `Authorization: Bearer <apiKey>` and answers 401 otherwise. */
	apiKey?: string;
	/** Ids listed by `GET /v1/models`. */
	models?: string[];
}

export type RequestOutcome =
	| 'pending'
	| 'answered'
	| 'streamed'
	| 'error'
	| 'broken'
	| 'hung'
	| 'client-closed'
	| 'expectation-failed'
	| 'no-turn'
	| 'unauthorized'
	| 'bad-request';

export interface RecordedRequest {
	/** 1-based count of chat requests since start or the last reset. */
	seq: number;
	at: string;
	path: string;
	/** Request headers, lowercased, without `authorization` (see `authorized`). */
	headers: Record<string, string>;
	authorized: boolean;
	/** The parsed JSON body; null when it was not valid JSON. */
	body: ChatCompletionRequest | null;
	stream: boolean;
	/** Index into the current script of the turn that answered; null when none was used. */
	turn: number | null;
	kind: TurnKind | null;
	outcome: RequestOutcome;
	/** Why the request failed: expectation message, missing turn, bad JSON, auth. */
	error?: string;
}

export interface FakeLlm {
	/** Base URL for an OpenAI-compatible client, ending in `/v1`. */
	url: string;
	/** Origin of the control API (`/__script`, `/__requests`, ...). */
	origin: string;
	/** Replaces the queue of turns; the recorded requests are kept. */
	script(turns: Turn[]): void;
	/** Empties the queue and the request log. */
	reset(): void;
	requests(): RecordedRequest[];
	/** Turns not consumed yet; a test can assert 0 to catch requests that never came. */
	remaining(): number;
	close(): Promise<void>;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const CORS = {
	'access-control-allow-origin': '*',
	'access-control-allow-headers': '*',
	'access-control-allow-methods': 'GET, POST, OPTIONS'
};

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`body exceeds ${MAX_BODY_BYTES} bytes`);
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): void {
	if (res.destroyed || res.headersSent) return;
	const text = JSON.stringify(body);
	res.writeHead(status, {
		...CORS,
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...headers
	});
	res.end(text);
}

function sendScriptedError(
	res: ServerResponse,
	error: { status: number; body?: unknown; headers?: Record<string, string> }
): void {
	const headers = error.headers ?? {};
	if (typeof error.body === 'string') {
		if (res.destroyed) return;
		res.writeHead(error.status, {
			...CORS,
			'content-type': 'text/plain; charset=utf-8',
			'content-length': Buffer.byteLength(error.body),
			...headers
		});
		res.end(error.body);
		return;
	}
	sendJson(res, error.status, error.body ?? defaultErrorBody(error.status), headers);
}

function publicHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (name === 'authorization' || value === undefined) continue;
		headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function isChatRequest(value: unknown): value is ChatCompletionRequest {
	if (typeof value !== 'object' || value === null) return false;
	const body = value as Record<string, unknown>;
	return typeof body.model === 'string' && Array.isArray(body.messages);
}

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
	const queue = new TurnQueue();
	const models = options.models ?? ['fake-model'];
	let log: RecordedRequest[] = [];
	let seq = 0;

	const authorized = (req: IncomingMessage) =>
		options.apiKey === undefined || req.headers.authorization === `Bearer ${options.apiKey}`;

	async function handleChat(req: IncomingMessage, res: ServerResponse, path: string) {
		const record: RecordedRequest = {
			seq: ++seq,
			at: new Date().toISOString(),
			path,
			headers: publicHeaders(req),
			authorized: authorized(req),
			body: null,
			stream: false,
			turn: null,
			kind: null,
			outcome: 'pending'
		};
		log.push(record);
		const fail = (
			status: number,
			outcome: RequestOutcome,
			body: { error: { message: string } },
			headers: Record<string, string> = {}
		) => {
			record.outcome = outcome;
			record.error = body.error.message;
			sendJson(res, status, body, headers);
		};

		let parsed: unknown;
		try {
			parsed = JSON.parse(await readBody(req));
		} catch (error) {
			const why = error instanceof BodyTooLarge ? error.message : 'body is not valid JSON';
			return fail(400, 'bad-request', errorBody(`fake LLM: ${why}`, 'invalid_request_error'));
		}
		if (typeof parsed === 'object' && parsed !== null) {
			record.body = parsed as ChatCompletionRequest;
			record.stream = (parsed as { stream?: unknown }).stream === true;
		}
		// Like OpenAI, a bad key is refused before anything else; it consumes no turn.
		if (!record.authorized) {
			return fail(401, 'unauthorized', defaultErrorBody(401));
		}
		if (!isChatRequest(parsed)) {
			const message = 'fake LLM: body needs a string `model` and an array `messages`';
			return fail(400, 'bad-request', errorBody(message, 'invalid_request_error'));
		}
		const request = parsed;

		const next = queue.take();
		if (next === undefined) {
			const message = `fake LLM: no scripted turn left (request #${record.seq} to model ${request.model})`;
			// 500 so the failure is loud; retry-after-ms 0 so SDK retries do not stretch the test.
			return fail(500, 'no-turn', errorBody(message, 'server_error', 'fake_llm_no_turn'), {
				'retry-after-ms': '0'
			});
		}
		const { turn, index } = next;
		record.turn = index;
		record.kind = turnKind(turn);

		const failure = checkTurn(turn, request);
		if (failure !== undefined) {
			const message = `fake LLM: expectation of turn ${index} failed: ${failure}`;
			return fail(400, 'expectation-failed', errorBody(message, 'invalid_request_error'));
		}

		const ctx: ResponseContext = {
			seq: record.seq,
			model: request.model,
			created: Math.floor(Date.now() / 1000)
		};
		if ('error' in turn) {
			record.outcome = 'error';
			record.error = `scripted HTTP ${turn.error.status}`;
			return sendScriptedError(res, turn.error);
		}
		if ('hangMs' in turn) {
			record.outcome = 'hung';
			await sleepUnlessClosed(res, turn.hangMs);
			const message = `fake LLM: turn ${index} hung for ${turn.hangMs} ms`;
			return sendJson(res, 504, errorBody(message, 'timeout'));
		}
		if ('breakAfterChunks' in turn) {
			if (!record.stream) {
				// No partial JSON is useful to a non-streaming client: drop the connection.
				record.outcome = 'broken';
				req.socket.destroy();
				return;
			}
			const reply: ReplyTurn = { text: turn.text, chunkDelayMs: turn.chunkDelayMs };
			const events = streamEvents(ctx, reply, estimateUsage(request, reply), false);
			record.outcome = await writeStream(res, events, {
				delayMs: turn.chunkDelayMs ?? 0,
				breakAfterTextChunks: turn.breakAfterChunks
			});
			return;
		}
		const usage = turn.usage ?? estimateUsage(request, turn);
		if (!record.stream) {
			record.outcome = 'answered';
			await sleepUnlessClosed(res, turn.chunkDelayMs ?? 0);
			return sendJson(res, 200, completionBody(ctx, turn, usage));
		}
		const includeUsage = request.stream_options?.include_usage === true;
		record.outcome = await writeStream(res, streamEvents(ctx, turn, usage, includeUsage), {
			delayMs: turn.chunkDelayMs ?? 0
		});
	}

	async function handleControl(req: IncomingMessage, res: ServerResponse, path: string) {
		if (req.method === 'GET' && path === '/__health') {
			return sendJson(res, 200, { ok: true, remaining: queue.remaining, requests: log.length });
		}
		if (req.method === 'GET' && path === '/__requests') {
			return sendJson(res, 200, { requests: log });
		}
		if (req.method === 'POST' && path === '/__reset') {
			api.reset();
			return sendJson(res, 200, { ok: true });
		}
		if (req.method === 'POST' && path === '/__script') {
			try {
				const body = JSON.parse(await readBody(req)) as { turns?: unknown };
				const turns = parseTurns(body?.turns);
				queue.load(turns);
				return sendJson(res, 200, { ok: true, turns: turns.length });
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				return sendJson(res, 400, { ok: false, error: `fake LLM: bad script: ${message}` });
			}
		}
		return sendJson(res, 404, {
			ok: false,
			error: `fake LLM: no control route ${req.method} ${path}`
		});
	}

	function handleModels(req: IncomingMessage, res: ServerResponse, path: string) {
		if (!authorized(req)) return sendJson(res, 401, defaultErrorBody(401));
		const created = Math.floor(Date.now() / 1000);
		if (path === '/v1/models') return sendJson(res, 200, modelList(models, created));
		const id = decodeURIComponent(path.slice('/v1/models/'.length));
		if (!models.includes(id)) {
			const message = `fake LLM: the model '${id}' does not exist`;
			return sendJson(res, 404, errorBody(message, 'invalid_request_error', 'model_not_found'));
		}
		return sendJson(res, 200, modelList([id], created).data[0]);
	}

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const path = new URL(req.url ?? '/', 'http://fake-llm').pathname.replace(/\/+$/, '') || '/';
		if (req.method === 'OPTIONS') {
			res.writeHead(204, CORS).end();
			return;
		}
		if (path.startsWith('/__')) return handleControl(req, res, path);
		if (req.method === 'POST' && path === '/v1/chat/completions') return handleChat(req, res, path);
		if (req.method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
			return handleModels(req, res, path);
		}
		const message = `fake LLM: unknown route ${req.method} ${path} (only /v1/chat/completions and /v1/models)`;
		sendJson(res, 404, errorBody(message, 'invalid_request_error', 'unknown_url'));
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			const message = error instanceof Error ? error.message : String(error);
			sendJson(res, 500, errorBody(`fake LLM: internal error: ${message}`, 'server_error'));
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const origin = `http://127.0.0.1:${port}`;

	const api: FakeLlm = {
		url: `${origin}/v1`,
		origin,
		script(turns) {
			queue.load(parseTurns(turns));
		},
		reset() {
			queue.load([]);
			log = [];
			seq = 0;
		},
		requests() {
			return structuredClone(log);
		},
		remaining() {
			return queue.remaining;
		},
		close() {
			return new Promise((resolve) => {
				server.close(() => resolve());
				// Streams and hangs in flight must not keep the port (or a test run) open.
				server.closeAllConnections();
			});
		}
	};
	return api;
}
