// @vitest-environment node
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConvexClient, ConvexHttpClient, type ConvexClientOptions } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { ConvexError } from 'convex/values';
import { generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEmulator, type Emulator } from './emulator';

const here = dirname(fileURLToPath(import.meta.url));
const convexDir = join(here, 'fixture', 'convex');

type Message = { author: string; body: string };
const list = makeFunctionReference<'query', Record<string, never>, Message[]>('messages:list');
const byAuthor = makeFunctionReference<'query', { author: string }, string[]>('messages:byAuthor');
const whoami = makeFunctionReference<'query', Record<string, never>, string | null>(
	'messages:whoami'
);
const send = makeFunctionReference<'mutation', Message, string>('messages:send');
const remove = makeFunctionReference<'mutation', { id: string }, null>('messages:remove');
const sendLater = makeFunctionReference<'mutation', Message, null>('messages:sendLater');
const sendViaAction = makeFunctionReference<'action', Message, string>('messages:sendViaAction');
const generateUploadUrl = makeFunctionReference<'mutation', Record<string, never>, string>(
	'messages:generateUploadUrl'
);
const fileUrl = makeFunctionReference<'query', { storageId: string }, string | null>(
	'messages:fileUrl'
);

// ws implements the WebSocket API the client uses; its types differ from the DOM's in details.
const webSocketConstructor = WebSocket as unknown as ConvexClientOptions['webSocketConstructor'];

const ADMIN_KEY = 'emulator-test-admin-key';
let emulator: Emulator;
const clients: ConvexClient[] = [];

function client(): ConvexClient {
	const c = new ConvexClient(emulator.url, { webSocketConstructor, logger: false });
	clients.push(c);
	return c;
}

/** Resolves with the first value of a subscription that satisfies `accept`. */
function waitFor<T>(
	c: ConvexClient,
	query: Parameters<ConvexClient['onUpdate']>[0],
	args: Record<string, unknown>,
	accept: (value: T) => boolean,
	timeoutMs = 5_000
): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`timed out waiting for ${JSON.stringify(args)}`));
		}, timeoutMs);
		const unsubscribe = c.onUpdate(query, args, (value: T) => {
			if (!accept(value)) return;
			clearTimeout(timer);
			unsubscribe();
			resolve(value);
		});
	});
}

async function signToken(privateKeyPem: string, claims: { sub: string; iss: string }) {
	const key = await importPKCS8(privateKeyPem, 'RS256');
	return await new SignJWT({})
		.setProtectedHeader({ alg: 'RS256' })
		.setSubject(claims.sub)
		.setIssuer(claims.iss)
		.setAudience('convex')
		.setIssuedAt()
		.setExpirationTime('1h')
		.sign(key);
}

beforeAll(async () => {
	emulator = await startEmulator({ convexDir, quiet: true, adminKey: ADMIN_KEY });
});

afterAll(async () => {
	await Promise.all(clients.map((c) => c.close()));
	await emulator?.close();
});

describe('convex emulator', () => {
	it('pushes a mutation from another client to a subscriber', async () => {
		const watcher = client();
		const writer = client();
		await waitFor<string[]>(watcher, byAuthor, { author: 'ada' }, (v) => v.length === 0);
		const seen = waitFor<string[]>(watcher, byAuthor, { author: 'ada' }, (v) => v.length === 1);
		const id = await writer.mutation(send, { author: 'ada', body: 'hello' });
		expect(typeof id).toBe('string');
		expect(await seen).toEqual(['hello']);

		const http = new ConvexHttpClient(emulator.url);
		await http.mutation(send, { author: 'ada', body: 'from http' });
		expect(
			await waitFor<string[]>(watcher, byAuthor, { author: 'ada' }, (v) => v.length === 2)
		).toEqual(['hello', 'from http']);
		expect(await http.query(byAuthor, { author: 'ada' })).toEqual(['hello', 'from http']);
	});

	it('delivers ConvexError data as err.data', async () => {
		const c = client();
		const fromSocket = await c.mutation(remove, { id: 'nope' }).catch((e: unknown) => e);
		expect(fromSocket).toBeInstanceOf(ConvexError);
		expect((fromSocket as ConvexError<{ code: string }>).data).toMatchObject({
			code: 'NOT_FOUND'
		});

		const http = new ConvexHttpClient(emulator.url);
		const fromHttp = await http.mutation(remove, { id: 'nope' }).catch((e: unknown) => e);
		expect(fromHttp).toBeInstanceOf(ConvexError);
		expect((fromHttp as ConvexError<{ code: string }>).data.code).toBe('NOT_FOUND');
	});

	it('refuses internal functions from clients', async () => {
		const http = new ConvexHttpClient(emulator.url);
		const internalRef = makeFunctionReference<'mutation', Message, null>('messages:sendInternal');
		await expect(http.mutation(internalRef, { author: 'x', body: 'y' })).rejects.toThrow(
			/Could not find public function/
		);
	});

	it('lets the admin key call internal functions, as `convex run` does', async () => {
		// The request ConvexHttpClient.function() makes after setAdminAuth(), as the CLI's run does.
		const run = (authorization: string, body: Record<string, unknown>) =>
			fetch(`${emulator.url}/api/function`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization },
				body: JSON.stringify({ format: 'convex_encoded_json', ...body })
			});
		const sendInternal = { path: 'messages:sendInternal', args: { author: 'admin', body: 'cli' } };
		const ok = await run(`Convex ${ADMIN_KEY}`, sendInternal);
		expect(ok.status).toBe(200);
		const messages = await new ConvexHttpClient(emulator.url).query(list, {});
		expect(messages).toContainEqual({ author: 'admin', body: 'cli' });

		const wrong = await run('Convex not-the-key', sendInternal);
		expect(wrong.status).toBe(401);
		expect(await wrong.text()).toMatch(/admin key was invalid/);
		// A component's functions are the admin's business only.
		const stranger = await run('', {
			path: 'lib:getUrls',
			componentPath: 'staticHosting',
			args: {}
		});
		expect(stranger.status).toBe(401);
		expect(await stranger.text()).toMatch(/needs the deployment admin key/);
	});

	it('runs actions, and their writes reach subscribers', async () => {
		const c = client();
		const seen = waitFor<string[]>(c, byAuthor, { author: 'bob' }, (v) => v.length === 1);
		expect(await c.action(sendViaAction, { author: 'bob', body: 'via action' })).toMatch(
			/^stored /
		);
		expect(await seen).toEqual(['via action']);
		const http = new ConvexHttpClient(emulator.url);
		expect(await http.action(sendViaAction, { author: 'bob', body: 'again' })).toMatch(/^stored /);
	});

	it('runs scheduled functions and publishes their writes', async () => {
		const c = client();
		const seen = waitFor<string[]>(c, byAuthor, { author: 'cron' }, (v) => v.length === 1);
		await c.mutation(sendLater, { author: 'cron', body: 'later' });
		expect(await seen).toEqual(['later']);
	});

	it('runs queries as the user of a valid token', async () => {
		const c = client();
		expect(await waitFor(c, whoami, {}, () => true)).toBeNull();
		const token = await signToken(emulator.env.JWT_PRIVATE_KEY, {
			sub: 'user1|session1',
			iss: emulator.siteUrl
		});
		const authenticated = new Promise<boolean>((resolve) => c.setAuth(async () => token, resolve));
		expect(await authenticated).toBe(true);
		expect(await waitFor<string | null>(c, whoami, {}, (v) => v !== null)).toBe('user1|session1');

		const http = new ConvexHttpClient(emulator.url);
		http.setAuth(token);
		expect(await http.query(whoami, {})).toBe('user1|session1');

		const site = await fetch(`${emulator.siteUrl}/hello`, {
			headers: { Authorization: `Bearer ${token}` }
		});
		expect(await site.json()).toEqual({ hello: 'world', who: 'user1|session1' });
	});

	it('answers a token signed by another key with an auth error', async () => {
		const { privateKey } = await generateKeyPair('RS256');
		const forged = await new SignJWT({})
			.setProtectedHeader({ alg: 'RS256' })
			.setSubject('mallory|s')
			.setIssuer(emulator.siteUrl)
			.setAudience('convex')
			.setIssuedAt()
			.setExpirationTime('1h')
			.sign(privateKey);
		const c = client();
		const authenticated = new Promise<boolean>((resolve) => c.setAuth(async () => forged, resolve));
		expect(await authenticated).toBe(false);
		// The client drops the bad token and carries on anonymously.
		expect(await waitFor(c, whoami, {}, () => true)).toBeNull();

		const http = new ConvexHttpClient(emulator.url);
		http.setAuth(forged);
		await expect(http.query(whoami, {})).rejects.toThrow(/Unauthenticated/);
	});

	it('serves HTTP actions on the site URL with CORS', async () => {
		const response = await fetch(`${emulator.siteUrl}/hello?name=convex`, {
			headers: { Origin: 'http://localhost:5173' }
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
		expect(await response.json()).toEqual({ hello: 'convex', who: null });
		expect((await fetch(`${emulator.siteUrl}/missing`)).status).toBe(404);

		const preflight = await fetch(`${emulator.url}/api/mutation`, {
			method: 'OPTIONS',
			headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
	});

	it('stores uploads and serves them at their URLs', async () => {
		const http = new ConvexHttpClient(emulator.url);
		const uploadUrl = await http.mutation(generateUploadUrl, {});
		expect(uploadUrl.startsWith(`${emulator.url}/api/storage/upload`)).toBe(true);
		const uploaded = await fetch(uploadUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'text/plain' },
			body: 'file body'
		});
		const { storageId } = (await uploaded.json()) as { storageId: string };
		const url = await http.query(fileUrl, { storageId });
		expect(url?.startsWith(`${emulator.url}/api/storage/`)).toBe(true);
		const download = await fetch(url!);
		expect(download.headers.get('content-type')).toBe('text/plain');
		expect(await download.text()).toBe('file body');
	});

	it('lists all messages consistently', async () => {
		const http = new ConvexHttpClient(emulator.url);
		const all = await http.query(list, {});
		expect(all.map((m) => m.author).sort()).toEqual(
			['admin', 'ada', 'ada', 'bob', 'bob', 'cron'].sort()
		);
	});
});

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

describe('lifecycle', () => {
	it('frees its ports on close()', async () => {
		const own = await startEmulator({ convexDir, quiet: true });
		const ports = [own.url, own.siteUrl].map((u) => Number(new URL(u).port));
		const c = new ConvexClient(own.url, { webSocketConstructor, logger: false });
		await waitFor(c, list, {}, () => true);
		expect(await portIsFree(ports[0])).toBe(false);
		await own.close();
		await c.close();
		expect(await portIsFree(ports[0])).toBe(true);
		expect(await portIsFree(ports[1])).toBe(true);
	});

	it('CLI prints the ready line and stops when its parent dies', async () => {
		// A stand-in parent we can kill without killing the test runner.
		const parent = spawn('sleep', ['60']);
		const child: ChildProcess = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				join(here, 'main.ts'),
				'--convex-dir',
				convexDir,
				'--port',
				'0',
				'--site-port',
				'0',
				'--parent-pid',
				String(parent.pid)
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let output = '';
		child.stdout!.on('data', (chunk) => (output += chunk));
		const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
		await expect
			.poll(() => output, { timeout: 20_000, interval: 100 })
			.toMatch(/EMULATOR_READY url=http:\/\/127\.0\.0\.1:\d+ siteUrl=http:\/\/127\.0\.0\.1:\d+/);
		expect(output).toContain('CONVEX EMULATOR — data lives in memory');
		const url = /url=(\S+)/.exec(output)![1];
		expect((await fetch(`${url}/version`)).status).toBe(200);
		parent.kill('SIGKILL');
		const code = await Promise.race([
			exited,
			new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 8_000))
		]);
		if (code === 'timeout') child.kill('SIGKILL');
		expect(code).toBe(0);
	}, 30_000);
});
