// Wire shapes of OpenAI's chat completions API, built from a scripted turn. Field names and
// nesting follow what @ai-sdk/openai-compatible parses (chunkBaseSchema and
// OpenAICompatibleChatResponseSchema in its dist/index.js): a tool-call delta always carries a
// `function` object, usage sits on a final chunk with `choices: []`.
import {
	argumentDeltas,
	serializeArgs,
	textDeltas,
	type ChatCompletionRequest,
	type FinishReason,
	type ReplyTurn,
	type Usage
} from './script';

export interface ResponseContext {
	/** Sequence number of the request; makes ids unique across steps of one test. */
	seq: number;
	model: string;
	created: number;
}

interface WireUsage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	prompt_tokens_details: { cached_tokens: number };
	completion_tokens_details: { reasoning_tokens: number };
}

function wireUsage(usage: Usage): WireUsage {
	return {
		prompt_tokens: usage.input,
		completion_tokens: usage.output,
		total_tokens: usage.input + usage.output,
		prompt_tokens_details: { cached_tokens: usage.cached ?? 0 },
		completion_tokens_details: { reasoning_tokens: 0 }
	};
}

/** Roughly four characters per token, so unscripted usage is plausible and deterministic. */
export function estimateUsage(request: ChatCompletionRequest, turn: ReplyTurn): Usage {
	const tokens = (s: string) => Math.ceil(s.length / 4);
	const text = textDeltas(turn.text).join('');
	const args = (turn.toolCalls ?? []).map((c) => c.name + serializeArgs(c.args)).join('');
	return {
		input: tokens(JSON.stringify(request.messages ?? [])),
		output: tokens(text + args),
		cached: 0
	};
}

export function finishReasonOf(turn: ReplyTurn): FinishReason {
	return turn.finishReason ?? ((turn.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop');
}

export function toolCallId(ctx: ResponseContext, index: number, id?: string): string {
	return id ?? `call_fake_${ctx.seq}_${index}`;
}

function chunk(ctx: ResponseContext, choices: unknown[], usage?: WireUsage | null) {
	return {
		id: `chatcmpl-fake-${ctx.seq}`,
		object: 'chat.completion.chunk',
		created: ctx.created,
		model: ctx.model,
		system_fingerprint: 'fp_fake_llm',
		choices,
		...(usage === undefined ? {} : { usage })
	};
}

function deltaChoice(delta: Record<string, unknown>, finishReason: FinishReason | null = null) {
	return { index: 0, delta, logprobs: null, finish_reason: finishReason };
}

export type StreamEventKind = 'role' | 'text' | 'tool' | 'finish' | 'usage';
export interface StreamEvent {
	kind: StreamEventKind;
	payload: unknown;
}

/**
 * Every `data:` payload of a streamed answer, in order, without the final `[DONE]`.
 * With include_usage, OpenAI puts `usage: null` on each chunk and the totals on an extra
 * chunk whose `choices` is empty; the same is done here.
 */
export function streamEvents(
	ctx: ResponseContext,
	turn: ReplyTurn,
	usage: Usage,
	includeUsage: boolean
): StreamEvent[] {
	const u = includeUsage ? null : undefined;
	const events: StreamEvent[] = [
		{ kind: 'role', payload: chunk(ctx, [deltaChoice({ role: 'assistant', content: '' })], u) }
	];
	for (const piece of textDeltas(turn.text)) {
		events.push({ kind: 'text', payload: chunk(ctx, [deltaChoice({ content: piece })], u) });
	}
	(turn.toolCalls ?? []).forEach((call, index) => {
		// First delta names the call with empty arguments; the JSON follows in pieces.
		const start = {
			index,
			id: toolCallId(ctx, index, call.id),
			type: 'function',
			function: { name: call.name, arguments: '' }
		};
		events.push({ kind: 'tool', payload: chunk(ctx, [deltaChoice({ tool_calls: [start] })], u) });
		for (const piece of argumentDeltas(serializeArgs(call.args))) {
			const delta = { tool_calls: [{ index, function: { arguments: piece } }] };
			events.push({ kind: 'tool', payload: chunk(ctx, [deltaChoice(delta)], u) });
		}
	});
	events.push({
		kind: 'finish',
		payload: chunk(ctx, [deltaChoice({}, finishReasonOf(turn))], u)
	});
	if (includeUsage) events.push({ kind: 'usage', payload: chunk(ctx, [], wireUsage(usage)) });
	return events;
}

/** The whole answer as one `chat.completion` object, for `stream: false`. */
export function completionBody(ctx: ResponseContext, turn: ReplyTurn, usage: Usage) {
	const text = textDeltas(turn.text).join('');
	const toolCalls = (turn.toolCalls ?? []).map((call, index) => ({
		id: toolCallId(ctx, index, call.id),
		type: 'function',
		function: { name: call.name, arguments: serializeArgs(call.args) }
	}));
	return {
		id: `chatcmpl-fake-${ctx.seq}`,
		object: 'chat.completion',
		created: ctx.created,
		model: ctx.model,
		system_fingerprint: 'fp_fake_llm',
		choices: [
			{
				index: 0,
				message: {
					role: 'assistant',
					content: text === '' && toolCalls.length > 0 ? null : text,
					refusal: null,
					...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {})
				},
				logprobs: null,
				finish_reason: finishReasonOf(turn)
			}
		],
		usage: wireUsage(usage)
	};
}

/** OpenAI's error envelope, which the SDK turns into APICallError's message. */
export function errorBody(message: string, type: string, code: string | null = null) {
	return { error: { message, type, param: null, code } };
}

/** A default body per status, shaped like the ones OpenAI sends for that status. */
export function defaultErrorBody(status: number) {
	if (status === 401)
		return errorBody('fake LLM: invalid API key', 'invalid_request_error', 'invalid_api_key');
	if (status === 429)
		return errorBody('fake LLM: rate limit reached (scripted)', 'requests', 'rate_limit_exceeded');
	if (status >= 500) return errorBody(`fake LLM: scripted server error ${status}`, 'server_error');
	return errorBody(`fake LLM: scripted error ${status}`, 'invalid_request_error');
}

export function modelList(models: readonly string[], created: number) {
	return {
		object: 'list',
		data: models.map((id) => ({ id, object: 'model', created, owned_by: 'fake-llm' }))
	};
}
