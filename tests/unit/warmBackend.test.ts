// The app's backend from a warm emulator: loaded ahead, it serves the project's functions with
// the project's environment once taken, just like one started from scratch.
import { ConvexHttpClient } from 'convex/browser';
import { anyApi } from 'convex/server';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import {
	prepareWarmBackend,
	startAppBackend,
	stopWarmBackend,
	warmBackendWaiting,
	type AppBackend
} from '../../src/lib/server/runtime/appBackend';
import { freePort } from '../../src/lib/server/runtime/ports';

const started: AppBackend[] = [];
let dir = '';
afterAll(async () => {
	await Promise.all([stopWarmBackend(), ...started.map((b) => b.process.kill())]);
	if (dir) await rm(dir, { recursive: true, force: true });
});

/** A convex/ folder inside the checkout, where `convex/server` resolves. */
async function convexDir() {
	await mkdir(resolve('tests/.artifacts'), { recursive: true });
	dir = await mkdtemp(resolve('tests/.artifacts/warm-backend-'));
	const convex = join(dir, 'convex');
	await mkdir(convex);
	await writeFile(
		join(convex, 'schema.ts'),
		`import { defineSchema } from 'convex/server';\nexport default defineSchema({});\n`
	);
	await writeFile(
		join(convex, 'greeting.ts'),
		`import { query } from './_generated/server';\nexport const get = query({ args: {}, handler: async () => process.env.GREETING ?? 'no greeting' });\n`
	);
	await mkdir(join(convex, '_generated'));
	await writeFile(
		join(convex, '_generated', 'server.ts'),
		`export { queryGeneric as query } from 'convex/server';\n`
	);
	return convex;
}

async function start(convex: string, greeting: string) {
	const ports = { api: await freePort(), site: await freePort() };
	const backend = await startAppBackend(convex, ports, () => undefined, {
		env: { GREETING: greeting }
	});
	started.push(backend);
	const client = new ConvexHttpClient(backend.url);
	return { backend, answer: await client.query(anyApi.greeting.get, {}) };
}

test(
	'a warm emulator, once taken, serves the app with its environment; the next start is cold',
	{ timeout: 60_000 },
	async () => {
		const convex = await convexDir();
		prepareWarmBackend();
		expect(warmBackendWaiting()).toBe(true);

		const warm = await start(convex, 'hello from the warm one');
		expect(warm.answer).toBe('hello from the warm one');
		expect(warm.backend.process.child.spawnargs.join(' ')).toContain('--standby');
		expect(warmBackendWaiting()).toBe(false);

		const cold = await start(convex, 'hello from a cold one');
		expect(cold.answer).toBe('hello from a cold one');
		expect(cold.backend.process.child.spawnargs.join(' ')).not.toContain('--standby');
		// The app's variables stay off the command line either way.
		for (const { backend } of [warm, cold]) {
			expect(backend.process.child.spawnargs.join(' ')).not.toContain('hello');
		}
	}
);
