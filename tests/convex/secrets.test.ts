// Model keys: sealed at rest, write-only from the client, one row per person and provider;
// and the model registry's view of which providers a person can use.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { api, internal } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { estimateCostUsd, operatorCredentials, resolveModel } from '../../convex/agent/models';
import { credentialsFor } from '../../convex/models';
import { appErrorOf } from '../../src/lib/shared/errors';
import { setup, signedIn, TEST_SECRETS_KEY, type Test } from './setup';

const OPENAI_KEY = 'sk-test-Plaintext0penAiKey-9f8e7d6c5b4a-wxyz';
const ANTHROPIC_KEY = 'sk-ant-test-AnotherPlaintextKey-1234';

// The operator's provider variables may be set in the shell running the tests.
const OPERATOR_VARS = [
	'ANTHROPIC_API_KEY',
	'OPENAI_API_KEY',
	'GOOGLE_GENERATIVE_AI_API_KEY',
	'OPENAI_COMPATIBLE_BASE_URL',
	'OPENAI_COMPATIBLE_API_KEY',
	'SECRETS_KEY_PREVIOUS'
];
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
	saved = Object.fromEntries(OPERATOR_VARS.map((name) => [name, process.env[name]]));
	for (const name of OPERATOR_VARS) delete process.env[name];
});
afterEach(() => {
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	process.env.SECRETS_KEY = TEST_SECRETS_KEY;
});

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
	try {
		await promise;
		return null;
	} catch (error) {
		return appErrorOf(error)?.code ?? `non-app error: ${String(error)}`;
	}
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
		return '';
	} catch (error) {
		return appErrorOf(error)?.message ?? String(error);
	}
}

async function rows(t: Test) {
	return await t.run((ctx) => ctx.db.query('secrets').collect());
}

function decrypt(t: Test, userId: Id<'users'>, provider: string) {
	return t.action(internal.secrets.decryptForUserUnchecked, { userId, provider });
}

function fromBase64(text: string) {
	return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

describe('set, list, remove', () => {
	test('list shows only provider, last four and time; set replaces; remove forgets', async () => {
		const t = await setup();
		const me = await signedIn(t);
		expect(await me.as.query(api.secrets.list, {})).toEqual([]);

		await me.as.action(api.secrets.set, { provider: 'openai', value: `  ${OPENAI_KEY}\n` });
		const listed = await me.as.query(api.secrets.list, {});
		expect(listed).toEqual([
			{ provider: 'openai', last4: 'wxyz', updatedAt: expect.any(Number), baseURL: null }
		]);
		expect(Object.keys(listed[0]).sort()).toEqual(['baseURL', 'last4', 'provider', 'updatedAt']);

		await me.as.action(api.secrets.set, { provider: 'openai', value: 'sk-test-replaced-key-0042' });
		expect(await rows(t)).toHaveLength(1);
		expect((await me.as.query(api.secrets.list, {}))[0].last4).toBe('0042');
		expect(await decrypt(t, me.userId, 'openai')).toEqual({
			apiKey: 'sk-test-replaced-key-0042',
			baseURL: null
		});

		expect(await me.as.mutation(api.secrets.remove, { provider: 'openai' })).toBe(true);
		expect(await me.as.query(api.secrets.list, {})).toEqual([]);
		expect(await rows(t)).toEqual([]);
		expect(await me.as.mutation(api.secrets.remove, { provider: 'openai' })).toBe(false);
		expect(await decrypt(t, me.userId, 'openai')).toBeNull();
	});

	test('the stored document holds no plaintext: AES-GCM output, a fresh iv, the key id', async () => {
		const t = await setup();
		const me = await signedIn(t);
		await me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		const [row] = await rows(t);
		const stored = JSON.stringify(row);
		expect(stored).not.toContain(OPENAI_KEY);
		// Not even a recognizable part of it, beyond the last four shown on purpose.
		expect(stored).not.toContain(OPENAI_KEY.slice(0, 12));
		expect(stored).not.toContain(btoa(OPENAI_KEY).slice(0, 16));
		expect(row.last4).toBe('wxyz');
		expect(fromBase64(row.iv)).toHaveLength(12);
		// Ciphertext is as long as the plaintext, plus the 16-byte authentication tag.
		expect(fromBase64(row.ciphertext)).toHaveLength(OPENAI_KEY.length + 16);
		expect(row.keyId).toMatch(/^[0-9a-f]{8}$/);

		// The same key saved again is sealed under a new iv, so equal keys do not look equal.
		await me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		const [again] = await rows(t);
		expect(again.iv).not.toBe(row.iv);
		expect(again.ciphertext).not.toBe(row.ciphertext);
	});

	test('decrypt round-trips each provider separately', async () => {
		const t = await setup();
		const me = await signedIn(t);
		await me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		await me.as.action(api.secrets.set, { provider: 'anthropic', value: ANTHROPIC_KEY });
		expect(await decrypt(t, me.userId, 'openai')).toEqual({ apiKey: OPENAI_KEY, baseURL: null });
		expect(await decrypt(t, me.userId, 'anthropic')).toEqual({
			apiKey: ANTHROPIC_KEY,
			baseURL: null
		});
		expect(await decrypt(t, me.userId, 'google')).toBeNull();
		const providers = (await me.as.query(api.secrets.list, {})).map((s) => s.provider).sort();
		expect(providers).toEqual(['anthropic', 'openai']);
	});

	test('an OpenAI-compatible server keeps its base URL and may have no key', async () => {
		const t = await setup();
		const me = await signedIn(t);
		await me.as.action(api.secrets.set, {
			provider: 'openai-compatible',
			value: '',
			baseURL: ' http://localhost:11434/v1/ '
		});
		expect(await me.as.query(api.secrets.list, {})).toEqual([
			{
				provider: 'openai-compatible',
				last4: '',
				updatedAt: expect.any(Number),
				baseURL: 'http://localhost:11434/v1'
			}
		]);
		const credentials = await t.action((ctx) =>
			credentialsFor(ctx, me.userId, 'openai-compatible')
		);
		expect(credentials).toEqual({
			apiKey: undefined,
			baseURL: 'http://localhost:11434/v1',
			source: 'user'
		});
	});
});

describe('who can see and change a key', () => {
	test('a stranger sees none of it and cannot remove it; signed out is refused', async () => {
		const t = await setup();
		const owner = await signedIn(t, 'owner@example.com');
		const stranger = await signedIn(t, 'stranger@example.com');
		await owner.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });

		expect(await stranger.as.query(api.secrets.list, {})).toEqual([]);
		expect(await stranger.as.mutation(api.secrets.remove, { provider: 'openai' })).toBe(false);
		expect(await stranger.as.query(api.models.available, {})).toEqual([]);
		// The stranger's own key for the same provider is a row of their own.
		await stranger.as.action(api.secrets.set, {
			provider: 'openai',
			value: 'sk-strangers-own-9999'
		});
		expect(await decrypt(t, owner.userId, 'openai')).toEqual({ apiKey: OPENAI_KEY, baseURL: null });
		expect((await owner.as.query(api.secrets.list, {}))[0].last4).toBe('wxyz');

		expect(await codeOf(t.query(api.secrets.list, {}))).toBe('UNAUTHENTICATED');
		expect(await codeOf(t.mutation(api.secrets.remove, { provider: 'openai' }))).toBe(
			'UNAUTHENTICATED'
		);
		expect(await codeOf(t.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY }))).toBe(
			'UNAUTHENTICATED'
		);
		expect(await rows(t)).toHaveLength(2);
	});

	test("a sealed key copied onto someone else's row does not open there", async () => {
		const t = await setup();
		const owner = await signedIn(t, 'owner@example.com');
		const stranger = await signedIn(t, 'stranger@example.com');
		await owner.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		await t.run(async (ctx) => {
			const row = (await ctx.db.query('secrets').first())!;
			const { _id, _creationTime, ...copy } = row;
			void _id;
			void _creationTime;
			await ctx.db.insert('secrets', { ...copy, userId: stranger.userId });
		});
		expect(await codeOf(decrypt(t, stranger.userId, 'openai'))).toBe('CONFLICT');
	});
});

describe('the deployment key', () => {
	test('without SECRETS_KEY, saving fails with the command to fix it and writes nothing', async () => {
		const t = await setup();
		const me = await signedIn(t);
		delete process.env.SECRETS_KEY;
		const saving = me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		expect(await messageOf(saving)).toContain(
			'npx convex env set SECRETS_KEY $(openssl rand -base64 32)'
		);
		expect(
			await codeOf(me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY }))
		).toBe('NOT_CONFIGURED');
		expect(await rows(t)).toEqual([]);

		process.env.SECRETS_KEY = btoa('only sixteen b!!');
		expect(
			await codeOf(me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY }))
		).toBe('NOT_CONFIGURED');
		expect(await rows(t)).toEqual([]);
	});

	test('a rotated key opens old secrets through SECRETS_KEY_PREVIOUS, and says so without it', async () => {
		const t = await setup();
		const me = await signedIn(t);
		await me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		process.env.SECRETS_KEY = btoa('a brand new key, also 32 bytes!!');
		expect(await messageOf(decrypt(t, me.userId, 'openai'))).toMatch(/Save the key again/);
		process.env.SECRETS_KEY_PREVIOUS = TEST_SECRETS_KEY;
		expect(await decrypt(t, me.userId, 'openai')).toEqual({ apiKey: OPENAI_KEY, baseURL: null });
	});
});

describe('bad input is refused and writes nothing', () => {
	const cases: [string, { provider: string; value: string; baseURL?: string }, string][] = [
		['an unknown provider', { provider: 'mistral', value: OPENAI_KEY }, 'INVALID_ARGUMENT'],
		['an empty key', { provider: 'openai', value: '' }, 'INVALID_ARGUMENT'],
		['a blank key', { provider: 'anthropic', value: '   \n ' }, 'INVALID_ARGUMENT'],
		['a key with a space', { provider: 'openai', value: 'sk-test with-space' }, 'INVALID_ARGUMENT'],
		['a too-short key', { provider: 'google', value: 'AIza12' }, 'INVALID_ARGUMENT'],
		['an oversized key', { provider: 'openai', value: 'k'.repeat(513) }, 'TOO_LARGE'],
		[
			'a base URL for a provider that takes none',
			{ provider: 'openai', value: OPENAI_KEY, baseURL: 'https://example.com/v1' },
			'INVALID_ARGUMENT'
		],
		[
			'an OpenAI-compatible server without a base URL',
			{ provider: 'openai-compatible', value: OPENAI_KEY },
			'INVALID_ARGUMENT'
		],
		[
			'a base URL that is not http(s)',
			{ provider: 'openai-compatible', value: '', baseURL: 'file:///etc/passwd' },
			'INVALID_ARGUMENT'
		],
		[
			'a base URL carrying credentials',
			{ provider: 'openai-compatible', value: '', baseURL: 'https://me:secret@example.com/v1' },
			'INVALID_ARGUMENT'
		]
	];
	test.each(cases)('%s', async (_name, args, code) => {
		const t = await setup();
		const me = await signedIn(t);
		expect(await codeOf(me.as.action(api.secrets.set, args))).toBe(code);
		expect(await rows(t)).toEqual([]);
	});

	test('removing an unknown provider is refused', async () => {
		const t = await setup();
		const me = await signedIn(t);
		expect(await codeOf(me.as.mutation(api.secrets.remove, { provider: 'nope' }))).toBe(
			'INVALID_ARGUMENT'
		);
	});
});

describe('models.available', () => {
	test('empty when nothing is configured; lists user keys and operator keys, no secrets', async () => {
		const t = await setup();
		const me = await signedIn(t);
		expect(await me.as.query(api.models.available, {})).toEqual([]);

		await me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		const withUserKey = await me.as.query(api.models.available, {});
		expect(withUserKey.map((p) => [p.provider, p.source, p.operatorConfigured])).toEqual([
			['openai', 'user', false]
		]);
		expect(withUserKey[0].models.map((m) => m.id)).toContain('gpt-5');
		expect(withUserKey[0].models.find((m) => m.id === 'gpt-5')?.pricing).toEqual({
			input: expect.any(Number),
			output: expect.any(Number),
			cachedInput: expect.any(Number)
		});

		process.env.ANTHROPIC_API_KEY = 'sk-ant-operator-key-5555';
		process.env.OPENAI_API_KEY = 'sk-operator-openai-6666';
		// A key without a base URL does not configure an OpenAI-compatible server.
		process.env.OPENAI_COMPATIBLE_API_KEY = 'sk-compatible-7777';
		const withEnv = await me.as.query(api.models.available, {});
		expect(withEnv.map((p) => [p.provider, p.source, p.operatorConfigured])).toEqual([
			['anthropic', 'operator', true],
			['openai', 'user', true]
		]);
		const text = JSON.stringify(withEnv);
		for (const secret of [OPENAI_KEY, 'sk-ant-operator', 'sk-operator', 'sk-compatible', 'wxyz']) {
			expect(text).not.toContain(secret);
		}

		process.env.OPENAI_COMPATIBLE_BASE_URL = 'http://127.0.0.1:1234/v1';
		const compatible = (await me.as.query(api.models.available, {})).find(
			(p) => p.provider === 'openai-compatible'
		);
		expect(compatible).toMatchObject({ source: 'operator', acceptsAnyModelId: true });
		expect(JSON.stringify(compatible)).not.toContain('127.0.0.1');

		expect(await codeOf(t.query(api.models.available, {}))).toBe('UNAUTHENTICATED');
	});

	test("a person's key wins over the operator's; the operator's serves everyone else", async () => {
		const t = await setup();
		const me = await signedIn(t);
		const other = await signedIn(t);
		process.env.OPENAI_API_KEY = 'sk-operator-openai-6666';
		await me.as.action(api.secrets.set, { provider: 'openai', value: OPENAI_KEY });
		expect(await t.action((ctx) => credentialsFor(ctx, me.userId, 'openai'))).toEqual({
			apiKey: OPENAI_KEY,
			baseURL: undefined,
			source: 'user'
		});
		expect(await t.action((ctx) => credentialsFor(ctx, other.userId, 'openai'))).toEqual({
			apiKey: 'sk-operator-openai-6666',
			source: 'operator'
		});
		expect(await t.action((ctx) => credentialsFor(ctx, other.userId, 'google'))).toBeNull();
	});
});

describe('the model registry', () => {
	test('resolveModel builds each provider’s model and refuses what cannot work', () => {
		for (const provider of ['anthropic', 'openai', 'google'] as const) {
			const model = resolveModel({ provider, modelId: 'some-model', apiKey: 'sk-test-123456' });
			expect(model.modelId).toBe('some-model');
			expect(model.provider).toContain(provider === 'google' ? 'google' : provider);
		}
		const local = resolveModel({
			provider: 'openai-compatible',
			modelId: 'llama3.1:8b',
			baseURL: 'http://localhost:11434/v1'
		});
		expect(local.modelId).toBe('llama3.1:8b');
		expect(() => resolveModel({ provider: 'openai', modelId: 'gpt-5' })).toThrow(/API key/);
		expect(() =>
			resolveModel({ provider: 'openai-compatible', modelId: 'x', apiKey: 'sk-test-123456' })
		).toThrow(/base URL/);
	});

	test('operator credentials come from the documented variables', () => {
		expect(operatorCredentials('google', { GOOGLE_GENERATIVE_AI_API_KEY: ' AIzaKey ' })).toEqual({
			apiKey: 'AIzaKey',
			source: 'operator'
		});
		expect(operatorCredentials('openai-compatible', { OPENAI_COMPATIBLE_API_KEY: 'k' })).toBeNull();
		expect(
			operatorCredentials('openai-compatible', { OPENAI_COMPATIBLE_BASE_URL: 'http://h/v1' })
		).toEqual({ baseURL: 'http://h/v1', apiKey: undefined, source: 'operator' });
	});

	test('cost estimates price cached input at the cache rate; unknown models have none', () => {
		const usage = { inputTokens: 1_000_000, cachedTokens: 400_000, outputTokens: 100_000 };
		// gpt-5: $1.25 in, $0.125 cached, $10 out per million tokens.
		expect(estimateCostUsd('openai', 'gpt-5', usage)).toBeCloseTo(
			0.6 * 1.25 + 0.4 * 0.125 + 0.1 * 10,
			9
		);
		expect(estimateCostUsd('openai', 'not-in-catalog', usage)).toBeUndefined();
		expect(estimateCostUsd('openai-compatible', 'llama3.1:8b', usage)).toBeUndefined();
		expect(estimateCostUsd('nope', 'gpt-5', usage)).toBeUndefined();
	});
});
