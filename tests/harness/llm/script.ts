// Turn format of the fake LLM and the queue that hands one turn to each request.
// No Node built-ins here: client.ts imports these types, and clients may run in edge runtimes.

/** The parsed JSON body of `POST /v1/chat/completions`, as the SDK sent it. */
export interface ChatCompletionRequest {
	model: string;
	messages: ChatMessage[];
	stream?: boolean;
	stream_options?: { include_usage?: boolean } | null;
	tools?: {
		type: 'function';
		function: { name: string; description?: string; parameters?: unknown };
	}[];
	tool_choice?: unknown;
	[key: string]: unknown;
}

export interface ChatMessage {
	role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
	content?: unknown;
	tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
	tool_call_id?: string;
	[key: string]: unknown;
}

/**
 * An optional check run before a turn answers. Returning a string or throwing fails it: the
 * request gets HTTP 400 with that message, and the failure is recorded in `/__requests`.
 */
export type Expectation = (request: ChatCompletionRequest) => void | string;

export interface TurnChecks {
	expect?: Expectation;
	/** JSON-able alternative to `expect`: substrings the JSON request body must contain. */
	expectContains?: string | string[];
}

export type FinishReason = 'stop' | 'tool_calls' | 'length';

export interface ScriptedToolCall {
	name: string;
	/** Serialized with JSON.stringify; a string is sent verbatim (lets a test send broken JSON). */
	args: unknown;
	id?: string;
}

export interface Usage {
	input: number;
	output: number;
	cached?: number;
}

export interface ReplyTurn extends TurnChecks {
	/** An array is the exact list of deltas; a string is split into small word-sized deltas. */
	text?: string | string[];
	toolCalls?: ScriptedToolCall[];
	chunkDelayMs?: number;
	usage?: Usage;
	/** Defaults to 'tool_calls' when toolCalls are given, else 'stop'. */
	finishReason?: FinishReason;
}

export interface ErrorTurn extends TurnChecks {
	error: { status: number; body?: unknown; headers?: Record<string, string> };
}

export interface BreakTurn extends TurnChecks {
	/** Text deltas sent before the socket is destroyed (no finish chunk, no [DONE]). */
	breakAfterChunks: number;
	text: string | string[];
	chunkDelayMs?: number;
}

export interface HangTurn extends TurnChecks {
	/** Nothing is sent for this long; then a 504 answers if the client is still waiting. */
	hangMs: number;
}

export type Turn = ReplyTurn | ErrorTurn | BreakTurn | HangTurn;

type WithoutFunctions<T> = T extends unknown ? Omit<T, 'expect'> : never;
/** What crosses the HTTP control API: turns without `expect` functions. */
export type JsonTurn = WithoutFunctions<Turn>;

export type TurnKind = 'reply' | 'error' | 'break' | 'hang';

export function turnKind(turn: Turn): TurnKind {
	if ('error' in turn) return 'error';
	if ('breakAfterChunks' in turn) return 'break';
	if ('hangMs' in turn) return 'hang';
	return 'reply';
}

const KEYS: Record<TurnKind, readonly string[]> = {
	reply: ['text', 'toolCalls', 'chunkDelayMs', 'usage', 'finishReason'],
	error: ['error'],
	break: ['breakAfterChunks', 'text', 'chunkDelayMs'],
	hang: ['hangMs']
};
const CHECK_KEYS = ['expect', 'expectContains'];

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInt(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function checkText(value: unknown, where: string): void {
	const ok =
		typeof value === 'string' ||
		(Array.isArray(value) && value.every((piece) => typeof piece === 'string'));
	if (!ok) throw new Error(`${where}.text must be a string or an array of strings`);
}

/**
 * Validates a script so a typo fails at `script()` time with the turn's index, instead of
 * turning into a confusing wire-level failure in the middle of a test.
 */
export function parseTurns(value: unknown): Turn[] {
	if (!Array.isArray(value)) throw new Error('turns must be an array');
	return value.map((raw, i) => {
		const where = `turns[${i}]`;
		if (!isRecord(raw)) throw new Error(`${where} must be an object`);
		const turn = raw as unknown as Turn;
		const kind = turnKind(turn);
		for (const key of Object.keys(raw)) {
			if (!KEYS[kind].includes(key) && !CHECK_KEYS.includes(key)) {
				throw new Error(`${where}: unknown key '${key}' for a ${kind} turn`);
			}
		}
		if (raw.expect !== undefined && typeof raw.expect !== 'function') {
			throw new Error(`${where}.expect must be a function`);
		}
		if (raw.expectContains !== undefined) {
			const e = raw.expectContains;
			if (!(typeof e === 'string' || (Array.isArray(e) && e.every((s) => typeof s === 'string'))))
				throw new Error(`${where}.expectContains must be a string or an array of strings`);
		}
		if (raw.chunkDelayMs !== undefined && !isNonNegativeInt(raw.chunkDelayMs)) {
			throw new Error(`${where}.chunkDelayMs must be a non-negative integer`);
		}
		switch (kind) {
			case 'error': {
				const error = raw.error;
				if (!isRecord(error) || !Number.isInteger(error.status)) {
					throw new Error(`${where}.error must be { status: number, body?, headers? }`);
				}
				const status = error.status as number;
				if (status < 400 || status > 599) throw new Error(`${where}.error.status must be 4xx/5xx`);
				if (error.headers !== undefined) {
					const headers = error.headers;
					if (!isRecord(headers) || !Object.values(headers).every((h) => typeof h === 'string'))
						throw new Error(`${where}.error.headers must map names to strings`);
				}
				break;
			}
			case 'break':
				if (!isNonNegativeInt(raw.breakAfterChunks)) {
					throw new Error(`${where}.breakAfterChunks must be a non-negative integer`);
				}
				checkText(raw.text, where);
				break;
			case 'hang':
				if (!isNonNegativeInt(raw.hangMs)) throw new Error(`${where}.hangMs must be an integer`);
				break;
			case 'reply': {
				if (raw.text !== undefined) checkText(raw.text, where);
				if (raw.toolCalls !== undefined) {
					if (!Array.isArray(raw.toolCalls)) throw new Error(`${where}.toolCalls must be an array`);
					raw.toolCalls.forEach((call: unknown, j) => {
						if (!isRecord(call) || typeof call.name !== 'string' || call.name === '') {
							throw new Error(`${where}.toolCalls[${j}] needs a name`);
						}
						if (!('args' in call)) throw new Error(`${where}.toolCalls[${j}] needs args`);
						if (call.id !== undefined && typeof call.id !== 'string') {
							throw new Error(`${where}.toolCalls[${j}].id must be a string`);
						}
					});
				}
				if (raw.usage !== undefined) {
					const u = raw.usage;
					if (
						!isRecord(u) ||
						!isNonNegativeInt(u.input) ||
						!isNonNegativeInt(u.output) ||
						(u.cached !== undefined && !isNonNegativeInt(u.cached))
					) {
						throw new Error(`${where}.usage must be { input, output, cached? } token counts`);
					}
				}
				const finish = raw.finishReason;
				if (
					finish !== undefined &&
					finish !== 'stop' &&
					finish !== 'tool_calls' &&
					finish !== 'length'
				) {
					throw new Error(`${where}.finishReason must be 'stop', 'tool_calls' or 'length'`);
				}
				break;
			}
		}
		return turn;
	});
}

/**
 * The text deltas of a turn. Word-sized pieces (whitespace kept with the word before it) so a
 * normal sentence streams as several deltas, like a real model; long words are cut further.
 */
export function textDeltas(text: string | string[] | undefined, maxPiece = 12): string[] {
	if (text === undefined) return [];
	if (Array.isArray(text)) return text;
	const pieces: string[] = [];
	for (const word of text.match(/\s*\S+\s*|\s+/g) ?? []) {
		for (let i = 0; i < word.length; i += maxPiece) pieces.push(word.slice(i, i + maxPiece));
	}
	return pieces;
}

/** Splits a tool call's argument text so the JSON arrives in several deltas, as OpenAI does. */
export function argumentDeltas(args: string, size = 8): string[] {
	if (args.length === 0) return [''];
	const pieces: string[] = [];
	for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size));
	return pieces;
}

export function serializeArgs(args: unknown): string {
	return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

/** Runs a turn's checks; returns the failure message, or undefined when they pass. */
export function checkTurn(turn: Turn, request: ChatCompletionRequest): string | undefined {
	if (turn.expectContains !== undefined) {
		const body = JSON.stringify(request);
		const needles = Array.isArray(turn.expectContains)
			? turn.expectContains
			: [turn.expectContains];
		const missing = needles.filter((needle) => !body.includes(needle));
		if (missing.length > 0)
			return `request body lacks ${missing.map((m) => JSON.stringify(m)).join(', ')}`;
	}
	if (turn.expect !== undefined) {
		try {
			const result = turn.expect(request);
			if (typeof result === 'string') return result;
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	}
	return undefined;
}

/** First in, first out: each chat request takes the next turn; the index is into the script. */
export class TurnQueue {
	#turns: Turn[] = [];
	#next = 0;

	load(turns: Turn[]): void {
		this.#turns = turns;
		this.#next = 0;
	}

	take(): { turn: Turn; index: number } | undefined {
		if (this.#next >= this.#turns.length) return undefined;
		const index = this.#next++;
		return { turn: this.#turns[index], index };
	}

	get remaining(): number {
		return this.#turns.length - this.#next;
	}
}
