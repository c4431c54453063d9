// Accounts through the real Convex Auth functions (api.auth.signIn / signOut), not inserted
// user rows: password sign-up and sign-in, guests, and a guest upgrading in place.
import { decodeJwt } from 'jose';
import { describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { appErrorOf } from '../../src/lib/shared/errors';
import { setup, type Test } from './setup';

// Convex Auth logs every `auth:store` call at INFO.
process.env.AUTH_LOG_LEVEL = 'WARN';

interface SignInResult {
	tokens?: { token: string; refreshToken: string } | null;
}

/** The identity a client holding these tokens presents: `sub` is `${userId}|${sessionId}`. */
function identityOf(t: Test, result: unknown) {
	const token = (result as SignInResult).tokens?.token;
	if (typeof token !== 'string')
		throw new Error(`signIn returned no token: ${JSON.stringify(result)}`);
	const sub = decodeJwt(token).sub;
	if (!sub) throw new Error('token has no subject');
	const [userId, sessionId] = sub.split('|') as [Id<'users'>, Id<'authSessions'>];
	return { userId, sessionId, as: t.withIdentity({ subject: sub }) };
}

type Caller = Pick<Test, 'action'>;

function password(caller: Caller, flow: 'signUp' | 'signIn', email: string, secret: string) {
	return caller.action(api.auth.signIn, {
		provider: 'password',
		params: { email, password: secret, flow }
	});
}

const EMAIL = 'ada@example.com';
const SECRET = 'correct horse battery';

describe('password accounts', () => {
	test('sign-up returns tokens for a new, non-guest user', async () => {
		const t = await setup();
		const result = await password(t, 'signUp', EMAIL, SECRET);
		expect((result as SignInResult).tokens?.refreshToken).toBeTypeOf('string');
		const me = identityOf(t, result);
		expect(await me.as.query(api.users.viewer, {})).toEqual({
			_id: me.userId,
			email: EMAIL,
			name: null,
			isGuest: false
		});
		expect(await me.as.query(api.auth.isAuthenticated, {})).toBe(true);
	});

	test('sign-in with the right password is the same user; a wrong one is refused', async () => {
		const t = await setup();
		const first = identityOf(t, await password(t, 'signUp', EMAIL, SECRET));
		const again = identityOf(t, await password(t, 'signIn', EMAIL, SECRET));
		expect(again.userId).toBe(first.userId);
		expect(again.sessionId).not.toBe(first.sessionId);
		// The email is normalized, so case and spaces do not make a second account.
		const shouted = identityOf(t, await password(t, 'signIn', ` ${EMAIL.toUpperCase()} `, SECRET));
		expect(shouted.userId).toBe(first.userId);

		const sessionsBefore = await t.run((ctx) => ctx.db.query('authSessions').collect());
		await expect(password(t, 'signIn', EMAIL, 'wrong horse battery')).rejects.toThrow();
		await expect(password(t, 'signIn', 'nobody@example.com', SECRET)).rejects.toThrow();
		// A refused sign-in opens no session.
		expect(await t.run((ctx) => ctx.db.query('authSessions').collect())).toEqual(sessionsBefore);
	});

	test('signing up an email that already has an account is refused', async () => {
		const t = await setup();
		await password(t, 'signUp', EMAIL, SECRET);
		await expect(password(t, 'signUp', EMAIL, 'another password')).rejects.toThrow();
		expect(await t.run((ctx) => ctx.db.query('users').collect())).toHaveLength(1);
	});

	test.each([
		['a password under 8 characters', EMAIL, 'short7!'],
		['a password over 128 characters', EMAIL, 'p'.repeat(129)],
		['an email without @', 'ada.example.com', SECRET],
		['an email without a domain dot', 'ada@example', SECRET],
		['an empty email', '', SECRET]
	])('sign-up with %s is refused as INVALID_ARGUMENT', async (_, email, secret) => {
		const t = await setup();
		const error = await password(t, 'signUp', email, secret).then(
			() => new Error('sign-up succeeded'),
			(e: unknown) => e
		);
		expect(appErrorOf(error)?.code ?? String(error)).toBe('INVALID_ARGUMENT');
		expect(await t.run((ctx) => ctx.db.query('users').collect())).toEqual([]);
		expect(await t.run((ctx) => ctx.db.query('authAccounts').collect())).toEqual([]);
	});

	test('passwords of exactly 8 and 128 characters are accepted', async () => {
		const t = await setup();
		await password(t, 'signUp', 'eight@example.com', '8'.repeat(8));
		await password(t, 'signUp', 'long@example.com', 'L'.repeat(128));
	});
});

describe('guests', () => {
	test('anonymous sign-in creates a guest who can make projects', async () => {
		const t = await setup();
		const guest = identityOf(t, await t.action(api.auth.signIn, { provider: 'anonymous' }));
		expect(await guest.as.query(api.users.viewer, {})).toMatchObject({
			_id: guest.userId,
			email: null,
			isGuest: true
		});
		await guest.as.mutation(api.projects.create, { name: 'Scratch' });
		expect((await guest.as.query(api.projects.list, {})).map((p) => p.name)).toEqual(['Scratch']);
	});

	test('two anonymous sign-ins are two different guests', async () => {
		const t = await setup();
		const a = identityOf(t, await t.action(api.auth.signIn, { provider: 'anonymous' }));
		const b = identityOf(t, await t.action(api.auth.signIn, { provider: 'anonymous' }));
		expect(a.userId).not.toBe(b.userId);
	});

	test('a guest who signs up keeps their user id and projects and is no longer a guest', async () => {
		const t = await setup();
		const guest = identityOf(t, await t.action(api.auth.signIn, { provider: 'anonymous' }));
		const projectId = await guest.as.mutation(api.projects.create, { name: 'Kept' });

		// Signing up while signed in as the guest is what the upgrade hangs on.
		const upgraded = identityOf(t, await password(guest.as, 'signUp', EMAIL, SECRET));
		expect(upgraded.userId).toBe(guest.userId);
		expect(await upgraded.as.query(api.users.viewer, {})).toEqual({
			_id: guest.userId,
			email: EMAIL,
			name: null,
			isGuest: false
		});
		expect((await upgraded.as.query(api.projects.list, {})).map((p) => p._id)).toEqual([projectId]);
		expect(await t.run((ctx) => ctx.db.query('users').collect())).toHaveLength(1);

		// Later, from a fresh client, the password leads back to the same account.
		const later = identityOf(t, await password(t, 'signIn', EMAIL, SECRET));
		expect(later.userId).toBe(guest.userId);
		expect(await later.as.query(api.projects.get, { projectId })).toMatchObject({ name: 'Kept' });
	});

	test('signing up while signed in as a full account makes a separate account', async () => {
		// Only guests are upgraded in place; a signed-in person's account is never overwritten.
		const t = await setup();
		const ada = identityOf(t, await password(t, 'signUp', EMAIL, SECRET));
		const bob = identityOf(t, await password(ada.as, 'signUp', 'bob@example.com', SECRET));
		expect(bob.userId).not.toBe(ada.userId);
		expect(await ada.as.query(api.users.viewer, {})).toMatchObject({ email: EMAIL });
	});
});

describe('sessions', () => {
	test('sign-out ends the session, and its refresh token no longer works', async () => {
		const t = await setup();
		const result = (await password(t, 'signUp', EMAIL, SECRET)) as SignInResult;
		const me = identityOf(t, result);
		await me.as.action(api.auth.signOut, {});
		expect(await t.run((ctx) => ctx.db.get(me.sessionId))).toBeNull();
		const refreshed = await t
			.action(api.auth.signIn, { refreshToken: result.tokens!.refreshToken })
			.then(
				(r) => (r as SignInResult).tokens ?? null,
				() => null
			);
		expect(refreshed).toBeNull();
	});

	test('a refresh token yields a new access token for the same user', async () => {
		const t = await setup();
		const result = (await password(t, 'signUp', EMAIL, SECRET)) as SignInResult;
		const me = identityOf(t, result);
		const refreshed = await t.action(api.auth.signIn, {
			refreshToken: result.tokens!.refreshToken
		});
		expect(identityOf(t, refreshed).userId).toBe(me.userId);
	});
});
