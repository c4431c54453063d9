// A language model (AI SDK spec v4) that plays a script: each model call takes the next step.
// Lets convex-test drive the real agent loop: text deltas, tool calls, usage, errors, and a
// stream that breaks midway.
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { APICallError } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';

export type ScriptStep =
	| {
			text?: string;
			toolCalls?: { name: string; input: unknown }[];
			usage?: { input: number; output: number; cached?: number };
	  }
	| { httpError: number }
	| { breakAfterText: string };

export function scriptedModel(
	steps: ScriptStep[],
	hooks: { beforeCall?: (call: number) => Promise<void> } = {}
) {
	let next = 0;
	const model = new MockLanguageModelV4({
		provider: 'scripted',
		modelId: 'scripted-model',
		doStream: async () => {
			await hooks.beforeCall?.(next);
			const step = steps[next++];
			if (!step) throw new Error('scripted model: no step left in the script');
			if ('httpError' in step) {
				throw new APICallError({
					message: `HTTP ${step.httpError}`,
					url: 'http://scripted.invalid/v1/chat/completions',
					requestBodyValues: {},
					statusCode: step.httpError,
					isRetryable: step.httpError === 429 || step.httpError >= 500
				});
			}
			const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
			const text = 'breakAfterText' in step ? step.breakAfterText : step.text;
			if (text) {
				parts.push({ type: 'text-start', id: 't' });
				for (const word of text.split(/(?<= )/))
					parts.push({ type: 'text-delta', id: 't', delta: word });
				if (!('breakAfterText' in step)) parts.push({ type: 'text-end', id: 't' });
			}
			if ('breakAfterText' in step) {
				parts.push({ type: 'error', error: new Error('connection reset by the provider') });
				return { stream: streamOf(parts) };
			}
			const calls = step.toolCalls ?? [];
			calls.forEach((call, i) =>
				parts.push({
					type: 'tool-call',
					toolCallId: `call-${next}-${i}`,
					toolName: call.name,
					input: JSON.stringify(call.input)
				})
			);
			const usage = step.usage ?? { input: 100, output: 20 };
			parts.push({
				type: 'finish',
				finishReason: { unified: calls.length > 0 ? 'tool-calls' : 'stop', raw: undefined },
				usage: {
					inputTokens: {
						total: usage.input,
						noCache: usage.input - (usage.cached ?? 0),
						cacheRead: usage.cached ?? 0,
						cacheWrite: 0
					},
					outputTokens: { total: usage.output, text: usage.output, reasoning: 0 }
				}
			});
			return { stream: streamOf(parts) };
		}
	});
	// A getter, so a test reads the count at the time it asks.
	return Object.defineProperty(model, 'calls', { get: () => next }) as typeof model & {
		readonly calls: number;
	};
}

function streamOf(parts: LanguageModelV4StreamPart[]) {
	return new ReadableStream<LanguageModelV4StreamPart>({
		start(controller) {
			for (const part of parts) controller.enqueue(part);
			controller.close();
		}
	});
}
