// Which models a person can use right now: the providers configured by their own keys
// (Settings) or by the operator's environment, with the catalog's models. User keys win.
import { v } from 'convex/values';
import type { Id } from './_generated/dataModel';
import type { ActionCtx } from './_generated/server';
import {
	acceptsAnyModelId,
	MODEL_CATALOG,
	operatorCredentials,
	type Credentials
} from './agent/models';
import { userQuery } from './functions';
import { decryptForUser } from './secrets';
import { isProviderId, PROVIDER_IDS, PROVIDERS } from '../src/lib/shared/providers';

const vPricing = v.object({ input: v.number(), output: v.number(), cachedInput: v.number() });

export const vAvailableProvider = v.object({
	provider: v.string(),
	label: v.string(),
	/** Whose key a run would use: the person's own, or the operator's. */
	source: v.union(v.literal('user'), v.literal('operator')),
	/** The operator has configured this provider too (used when the person's key is removed). */
	operatorConfigured: v.boolean(),
	/** Any model id may be typed (an OpenAI-compatible server serves its own models). */
	acceptsAnyModelId: v.boolean(),
	models: v.array(
		v.object({
			id: v.string(),
			name: v.string(),
			/** Per-million-token prices in USD: estimates, see convex/agent/models.ts. */
			pricing: v.union(v.null(), vPricing)
		})
	)
});

/** Configured providers and their models, without any secret; empty when none is set up. */
export const available = userQuery({
	args: {},
	returns: v.array(vAvailableProvider),
	handler: async (ctx) => {
		const mine = await ctx.db
			.query('secrets')
			.withIndex('by_userId_and_provider', (q) => q.eq('userId', ctx.userId))
			.take(PROVIDER_IDS.length);
		const own = new Set(mine.map((row) => row.provider));
		return PROVIDER_IDS.flatMap((provider) => {
			const operatorConfigured = operatorCredentials(provider, process.env) !== null;
			if (!own.has(provider) && !operatorConfigured) return [];
			return [
				{
					provider,
					label: PROVIDERS[provider].label,
					source: own.has(provider) ? ('user' as const) : ('operator' as const),
					operatorConfigured,
					acceptsAnyModelId: acceptsAnyModelId(provider),
					models: MODEL_CATALOG[provider].map(({ id, name, pricing }) => ({ id, name, pricing }))
				}
			];
		});
	}
});

/**
 * The credentials a run for `userId` uses with `provider`: their own key if they saved one,
 * else the operator's, else null. Plaintext: for action code on the server only.
 */
export async function credentialsFor(
	ctx: Pick<ActionCtx, 'runQuery' | 'runAction'>,
	userId: Id<'users'>,
	provider: string
): Promise<Credentials | null> {
	if (!isProviderId(provider)) return null;
	const own = await decryptForUser(ctx, userId, provider);
	if (own) {
		return {
			apiKey: own.apiKey === '' ? undefined : own.apiKey,
			baseURL: own.baseURL ?? undefined,
			source: 'user'
		};
	}
	return operatorCredentials(provider, process.env);
}
