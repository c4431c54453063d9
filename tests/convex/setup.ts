// Shared convex-test setup: the real schema and modules, auth keys, and people to act as.
import agent from '@convex-dev/agent/test';
import rateLimiter from '@convex-dev/rate-limiter/test';
import { convexTest } from 'convex-test';
import { expect } from 'vitest';
import { appErrorOf, type ErrorCode } from '../../src/lib/shared/errors';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import schema from '../../convex/schema';
import type { Id } from '../../convex/_generated/dataModel';

export const modules = import.meta.glob('../../convex/**/*.*s');

export const TEST_SECRETS_KEY = btoa('test-only secrets key: 32 bytes!');

let authEnvReady: Promise<void> | null = null;

/** Convex Auth signs JWTs itself, so its key pair must be in the environment. */
function ensureAuthEnv() {
	authEnvReady ??= (async () => {
		const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
		process.env.JWT_PRIVATE_KEY = (await exportPKCS8(privateKey)).trimEnd().replace(/\n/g, ' ');
		process.env.JWKS = JSON.stringify({ keys: [{ use: 'sig', ...(await exportJWK(publicKey)) }] });
		process.env.CONVEX_SITE_URL = 'http://127.0.0.1:3211';
		// Seals model keys (convex/secrets.ts); a fixed test-only key, 32 bytes in base64.
		process.env.SECRETS_KEY = TEST_SECRETS_KEY;
	})();
	return authEnvReady;
}

export async function setup() {
	await ensureAuthEnv();
	const t = convexTest(schema, modules);
	// The components convex/convex.config.ts uses.
	agent.register(t);
	rateLimiter.register(t);
	return t;
}

export type Test = Awaited<ReturnType<typeof setup>>;

/** A signed-in person: inserts a user row and returns a client acting as them. */
export async function signedIn(t: Test, email?: string) {
	const userId: Id<'users'> = await t.run((ctx) =>
		ctx.db.insert('users', email ? { email } : { isAnonymous: true })
	);
	return { userId, as: t.withIdentity({ subject: `${userId}|session`, issuer: 'test' }) };
}

/** Every table of the schema, row by row: a refused call must leave all of it as it was. */
export async function snapshotTables(t: Test) {
	return await t.run(async (ctx) => {
		const out: Record<string, unknown[]> = {};
		for (const table of Object.keys(schema.tables)) {
			out[table] = await ctx.db.query(table as 'projects').collect();
		}
		return out;
	});
}

/**
 * Runs a call that must be refused with `code` and a message a person can act on, and checks
 * that it wrote nothing at all.
 */
export async function expectRefused(t: Test, code: ErrorCode, run: () => Promise<unknown>) {
	const before = await snapshotTables(t);
	const error = await run().then(
		(value) => new Error(`expected ${code}, but it succeeded with ${JSON.stringify(value)}`),
		(e: unknown) => e
	);
	const data = appErrorOf(error);
	expect(data?.code ?? String(error)).toBe(code);
	expect(data?.message.length).toBeGreaterThan(10);
	expect(await snapshotTables(t)).toEqual(before);
	return data!;
}
