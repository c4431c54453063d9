// A person's model provider keys: write-only from the client. `set` seals the key (via the
// Node action in secretsCrypto.ts) and stores only the sealed form and its last four
// characters; `list` answers which providers are set; nothing public ever returns plaintext,
// ciphertext or iv. Server code reads a key with `decryptForUser` / decryptForUserUnchecked.
import { v } from 'convex/values';
import { internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import {
	internalAction,
	internalMutation,
	internalQuery,
	type ActionCtx,
	type QueryCtx
} from './_generated/server';
import { fail } from './errors';
import { userAction, userMutation, userQuery } from './functions';
import schema from './schema';
import { secretsKeys } from './model/secretBox';
import {
	isProviderId,
	last4Of,
	normalizeBaseURL,
	PROVIDER_IDS,
	PROVIDERS,
	secretValueProblem,
	type ProviderId
} from '../src/lib/shared/providers';

function checkedProvider(provider: string): ProviderId {
	if (!isProviderId(provider)) {
		fail(
			'INVALID_ARGUMENT',
			`Unknown provider "${provider.slice(0, 40)}"; expected one of ${PROVIDER_IDS.join(', ')}.`
		);
	}
	return provider;
}

/** Additional data a sealed key is bound to: it opens only on its owner's row for its provider. */
function sealContext(userId: Id<'users'>, provider: ProviderId): string {
	return `secrets:${userId}:${provider}`;
}

async function findRow(ctx: QueryCtx, userId: Id<'users'>, provider: ProviderId) {
	return await ctx.db
		.query('secrets')
		.withIndex('by_userId_and_provider', (q) => q.eq('userId', userId).eq('provider', provider))
		.unique();
}

export const vSecretSummary = v.object({
	provider: v.string(),
	last4: v.string(),
	updatedAt: v.number(),
	/** The OpenAI-compatible server's address (not a secret); null for other providers. */
	baseURL: v.union(v.string(), v.null())
});

/** Which providers the caller has keys for: the last four characters, never the key. */
export const list = userQuery({
	args: {},
	returns: v.array(vSecretSummary),
	handler: async (ctx) => {
		const rows = await ctx.db
			.query('secrets')
			.withIndex('by_userId_and_provider', (q) => q.eq('userId', ctx.userId))
			.take(PROVIDER_IDS.length);
		return rows.map(({ provider, last4, updatedAt, baseURL }) => ({
			provider,
			last4,
			updatedAt,
			baseURL: baseURL ?? null
		}));
	}
});

/**
 * Saves (replaces) the caller's key for a provider. For an OpenAI-compatible server the base
 * URL is required and the key may be empty. An action, because sealing needs Node's Web Crypto.
 */
export const set = userAction({
	args: { provider: v.string(), value: v.string(), baseURL: v.optional(v.string()) },
	returns: v.null(),
	handler: async (ctx, args) => {
		const provider = checkedProvider(args.provider);
		const value = args.value.trim();
		const problem = secretValueProblem(provider, value);
		if (problem) fail(problem.code, problem.message);
		let baseURL: string | undefined;
		if (PROVIDERS[provider].needsBaseURL) {
			const normalized = normalizeBaseURL(args.baseURL ?? '');
			if ('problem' in normalized) fail(normalized.problem.code, normalized.problem.message);
			baseURL = normalized.url;
		} else if (args.baseURL !== undefined && args.baseURL.trim() !== '') {
			fail('INVALID_ARGUMENT', `${PROVIDERS[provider].label} takes no base URL.`);
		}
		// Checked before starting the Node action, so a missing key fails fast and plainly.
		await secretsKeys();
		const sealed = await ctx.runAction(internal.secretsCrypto.sealUnchecked, {
			plaintext: value,
			context: sealContext(ctx.userId, provider)
		});
		await ctx.runMutation(internal.secrets.storeUnchecked, {
			userId: ctx.userId,
			provider,
			...sealed,
			last4: last4Of(value),
			baseURL
		});
		return null;
	}
});

// The table's own fields, less the timestamp this mutation sets.
const { updatedAt: _updatedAt, ...sealedFields } = schema.tables.secrets.validator.fields;

/** Writes a sealed key. Unchecked: `set` has authorized and validated it. */
export const storeUnchecked = internalMutation({
	args: sealedFields,
	returns: v.null(),
	handler: async (ctx, args) => {
		const provider = checkedProvider(args.provider);
		const row = { ...args, provider, updatedAt: Date.now() };
		const existing = await findRow(ctx, args.userId, provider);
		if (existing) await ctx.db.replace(existing._id, row);
		else await ctx.db.insert('secrets', row);
		return null;
	}
});

/** Forgets the caller's key for a provider; answers whether there was one. */
export const remove = userMutation({
	args: { provider: v.string() },
	returns: v.boolean(),
	handler: async (ctx, args) => {
		const existing = await findRow(ctx, ctx.userId, checkedProvider(args.provider));
		if (!existing) return false;
		await ctx.db.delete(existing._id);
		return true;
	}
});

/** The sealed row for a person and provider. Unchecked: internal, returns ciphertext. */
export const sealedForUserUnchecked = internalQuery({
	args: { userId: v.id('users'), provider: v.string() },
	returns: v.union(
		v.null(),
		v.object({
			ciphertext: v.string(),
			iv: v.string(),
			keyId: v.string(),
			baseURL: v.union(v.string(), v.null())
		})
	),
	handler: async (ctx, args) => {
		if (!isProviderId(args.provider)) return null;
		const row = await findRow(ctx, args.userId, args.provider);
		if (!row) return null;
		return {
			ciphertext: row.ciphertext,
			iv: row.iv,
			keyId: row.keyId,
			baseURL: row.baseURL ?? null
		};
	}
});

const vDecrypted = v.union(
	v.null(),
	v.object({ apiKey: v.string(), baseURL: v.union(v.string(), v.null()) })
);

/**
 * A person's key for a provider in plaintext (empty for a keyless OpenAI-compatible server),
 * or null when they have none. For action code on the server only; never return it to a client.
 */
export async function decryptForUser(
	ctx: Pick<ActionCtx, 'runQuery' | 'runAction'>,
	userId: Id<'users'>,
	provider: ProviderId
): Promise<{ apiKey: string; baseURL: string | null } | null> {
	const sealed = await ctx.runQuery(internal.secrets.sealedForUserUnchecked, { userId, provider });
	if (!sealed) return null;
	const { baseURL, ...box } = sealed;
	const apiKey = await ctx.runAction(internal.secretsCrypto.openUnchecked, {
		sealed: box,
		context: sealContext(userId, provider)
	});
	return { apiKey, baseURL };
}

/** `decryptForUser` as a function. Unchecked: returns plaintext; internal callers only. */
export const decryptForUserUnchecked = internalAction({
	args: { userId: v.id('users'), provider: v.string() },
	returns: vDecrypted,
	handler: async (ctx, args) =>
		await decryptForUser(ctx, args.userId, checkedProvider(args.provider))
});
