// The model a run uses: the person's own key for the provider (from Settings) wins over the
// operator's key in the deployment's environment. Keys stay inside this action.
import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { Doc } from '../_generated/dataModel';
import type { ActionCtx } from '../_generated/server';
import { credentialsFor } from '../models';
import { isProviderId, PROVIDERS } from '../../src/lib/shared/providers';
import { estimateCostUsd as priceUsage, resolveModel } from './models';
import type { TokenUsage } from './schema';

export async function languageModelFor(ctx: ActionCtx, run: Doc<'runs'>): Promise<LanguageModelV4> {
	if (!isProviderId(run.provider)) throw new Error(`Unknown model provider "${run.provider}".`);
	const credentials = await credentialsFor(ctx, run.ownerId, run.provider);
	if (!credentials) {
		throw new Error(`No ${PROVIDERS[run.provider].label} key is set. Add one in Settings.`);
	}
	const { apiKey, baseURL } = credentials;
	return resolveModel({ provider: run.provider, modelId: run.modelId, apiKey, baseURL });
}

export function estimateCostUsd(run: Doc<'runs'>, usage: TokenUsage): number | undefined {
	return priceUsage(run.provider, run.modelId, usage);
}
