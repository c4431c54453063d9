// The model registry: which providers and models the builder knows, what they cost, and how
// to build an `ai` SDK model from a key. Framework-free (no Convex imports): credentials are
// passed in, so the same code serves user keys, operator keys and tests.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '../../src/lib/shared/providers';

/**
 * US dollars per million tokens. ESTIMATES copied from the providers' public price lists; they
 * change without notice and ignore tiers (e.g. long-context surcharges), so costs computed from
 * them are shown as estimates, never billed. `cachedInput` is the price of a cache read.
 */
export interface Pricing {
	input: number;
	output: number;
	cachedInput: number;
}

export interface CatalogModel {
	id: string;
	name: string;
	/** null: unknown (e.g. a local server's models, which cost what your hardware costs). */
	pricing: Pricing | null;
}

export const MODEL_CATALOG: Record<ProviderId, CatalogModel[]> = {
	anthropic: [
		{
			id: 'claude-sonnet-4-5',
			name: 'Claude Sonnet 4.5',
			pricing: { input: 3, output: 15, cachedInput: 0.3 }
		},
		{
			id: 'claude-haiku-4-5',
			name: 'Claude Haiku 4.5',
			pricing: { input: 1, output: 5, cachedInput: 0.1 }
		},
		{
			id: 'claude-opus-4-1',
			name: 'Claude Opus 4.1',
			pricing: { input: 15, output: 75, cachedInput: 1.5 }
		}
	],
	openai: [
		{ id: 'gpt-5', name: 'GPT-5', pricing: { input: 1.25, output: 10, cachedInput: 0.125 } },
		{
			id: 'gpt-5-mini',
			name: 'GPT-5 mini',
			pricing: { input: 0.25, output: 2, cachedInput: 0.025 }
		},
		{ id: 'gpt-4.1', name: 'GPT-4.1', pricing: { input: 2, output: 8, cachedInput: 0.5 } }
	],
	google: [
		{
			id: 'gemini-2.5-pro',
			name: 'Gemini 2.5 Pro',
			pricing: { input: 1.25, output: 10, cachedInput: 0.31 }
		},
		{
			id: 'gemini-2.5-flash',
			name: 'Gemini 2.5 Flash',
			pricing: { input: 0.3, output: 2.5, cachedInput: 0.075 }
		}
	],
	// Whatever the server serves; these are common choices for coding on Ollama. Any model id
	// the server knows can be used (see `acceptsAnyModelId`).
	'openai-compatible': [
		{ id: 'qwen2.5-coder:32b', name: 'Qwen2.5 Coder 32B', pricing: null },
		{ id: 'llama3.1:8b', name: 'Llama 3.1 8B', pricing: null }
	]
};

/** Providers whose model list is the server's, not ours: any non-empty model id is allowed. */
export function acceptsAnyModelId(provider: ProviderId): boolean {
	return PROVIDERS[provider].needsBaseURL;
}

export function findModel(provider: ProviderId, modelId: string): CatalogModel | null {
	return MODEL_CATALOG[provider].find((m) => m.id === modelId) ?? null;
}

export interface Credentials {
	/** Absent only for an OpenAI-compatible server that needs no key. */
	apiKey?: string;
	/** Required for openai-compatible; an optional proxy for the others. */
	baseURL?: string;
	/** Whose credentials these are: the person's own (settings) or the operator's (env). */
	source: 'user' | 'operator';
}

/**
 * The operator's credentials for a provider from the deployment's environment, or null.
 * An OpenAI-compatible server is configured by its base URL; its key is optional.
 */
export function operatorCredentials(
	provider: ProviderId,
	env: Record<string, string | undefined>
): Credentials | null {
	const value = (name: string) => {
		const text = env[name]?.trim();
		return text ? text : undefined;
	};
	if (provider === 'openai-compatible') {
		const baseURL = value('OPENAI_COMPATIBLE_BASE_URL');
		if (!baseURL) return null;
		return { baseURL, apiKey: value('OPENAI_COMPATIBLE_API_KEY'), source: 'operator' };
	}
	const apiKey = value(PROVIDERS[provider].envVar);
	return apiKey ? { apiKey, source: 'operator' } : null;
}

export interface ResolveModelOptions {
	provider: ProviderId;
	modelId: string;
	apiKey?: string;
	baseURL?: string;
}

/**
 * Builds the `ai` SDK model for a provider and model id. Throws a plain Error for a call that
 * cannot work (unknown provider, no key, no base URL); the run reports it as its failure.
 */
export function resolveModel({
	provider,
	modelId,
	apiKey,
	baseURL
}: ResolveModelOptions): LanguageModelV4 {
	if (!(PROVIDER_IDS as readonly string[]).includes(provider)) {
		throw new Error(`Unknown model provider "${provider}".`);
	}
	if (modelId.trim() === '') throw new Error('No model was chosen.');
	const label = PROVIDERS[provider].label;
	if (provider !== 'openai-compatible' && !apiKey) {
		throw new Error(`No ${label} API key is set. Add one in Settings.`);
	}
	switch (provider) {
		case 'anthropic':
			return createAnthropic({ apiKey, baseURL })(modelId);
		case 'openai':
			return createOpenAI({ apiKey, baseURL })(modelId);
		case 'google':
			return createGoogleGenerativeAI({ apiKey, baseURL })(modelId);
		case 'openai-compatible':
			if (!baseURL) throw new Error(`No base URL is set for the ${label}. Add one in Settings.`);
			return createOpenAICompatible({
				name: 'openai-compatible',
				baseURL,
				apiKey,
				// Streaming responses carry token counts only when asked, and runs record usage.
				includeUsage: true
			})(modelId);
	}
}

export interface UsageTokens {
	/** All input tokens, cached ones included. */
	inputTokens: number;
	outputTokens: number;
	/** The part of `inputTokens` read from the provider's prompt cache. */
	cachedTokens: number;
}

/** Estimated cost in USD from the catalog's prices; undefined when the price is unknown. */
export function estimateCostUsd(
	provider: string,
	modelId: string,
	usage: UsageTokens
): number | undefined {
	if (!(PROVIDER_IDS as readonly string[]).includes(provider)) return undefined;
	const pricing = findModel(provider as ProviderId, modelId)?.pricing;
	if (!pricing) return undefined;
	const cached = Math.min(usage.cachedTokens, usage.inputTokens);
	return (
		((usage.inputTokens - cached) * pricing.input +
			cached * pricing.cachedInput +
			usage.outputTokens * pricing.output) /
		1_000_000
	);
}
