// Starts an in-memory Convex backend (convex-test) behind Convex's own client protocols, so
// ConvexClient, ConvexHttpClient and convex-svelte connect to it unchanged.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { convexTest, type TestConvex } from 'convex-test';
import { TokenVerifier } from './auth';
import { generateAuthEnv } from './auth-keys';
import { Backend, type AppTestConvex } from './backend';
import { banner } from './banner';
import { ChangeFeed } from './change-feed';
import { createApiHandler } from './http-api';
import { registerAppComponents } from './components';
import { loadConvexApp } from './modules';
import { cancelPendingScheduledFunctions, finishRunningScheduledFunctions } from './scheduler';
import { createSiteHandler } from './site-server';
import { serveFakeStorageUrls } from './storage';
import { SyncServer } from './sync-server';

export interface EmulatorOptions {
	/** Absolute path of a convex/ functions folder containing schema.ts and _generated/. */
	convexDir: string;
	/** API + sync WebSocket port; 0 (the default) picks a free one. Binds 127.0.0.1 only. */
	port?: number;
	/** HTTP actions port (like Convex's .convex.site); 0 picks a free one. 127.0.0.1 only. */
	sitePort?: number;
	/** Environment variables visible to Convex functions (process.env). */
	env?: Record<string, string>;
	/** E.g. `register(t)` from '@convex-dev/rate-limiter/test'. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- register(t) helpers take any schema
	registerComponents?: (t: TestConvex<any>) => void;
	/** No banner (unit tests). */
	quiet?: boolean;
	/**
	 * A deployment admin key: `Authorization: Convex <key>` may then call internal and
	 * component functions through /api/function, as the Convex CLI's `convex run` does.
	 */
	adminKey?: string;
}

export interface Emulator {
	url: string;
	siteUrl: string;
	/** The environment the functions see, including generated auth keys. */
	env: Record<string, string>;
	close(): Promise<void>;
}

const SYNC_PATH = /^\/api\/[^/]+\/sync$/;

async function listen(server: Server, port: number): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server) {
	await new Promise<void>((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
	// Listen first: the site URL is the auth issuer, and functions read it at import time.
	const apiServer = createServer();
	const siteServer = createServer();
	let url: string;
	let siteUrl: string;
	try {
		url = await listen(apiServer, opts.port ?? 0);
		siteUrl = await listen(siteServer, opts.sitePort ?? 0);
	} catch (error) {
		await Promise.all([closeServer(apiServer), closeServer(siteServer)]);
		throw error;
	}

	const generated = opts.env?.JWT_PRIVATE_KEY ? {} : await generateAuthEnv(siteUrl);
	const env: Record<string, string> = {
		CONVEX_CLOUD_URL: url,
		CONVEX_SITE_URL: siteUrl,
		...generated,
		...opts.env
	};
	const previousEnv = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
	Object.assign(process.env, env);

	try {
		const app = await loadConvexApp(opts.convexDir);
		const t: AppTestConvex = convexTest(app.schema, app.modules);
		// Without an explicit hook, register what the app's convex.config.ts uses.
		let componentModules;
		if (opts.registerComponents) opts.registerComponents(t);
		else componentModules = await registerAppComponents(t as never, opts.convexDir);
		const backend = new Backend(t, app, url, componentModules);
		const restoreFetch = serveFakeStorageUrls(backend);
		const verifier = new TokenVerifier(env.JWKS, env.CONVEX_SITE_URL);
		// Every write path pokes the feed, which notices the new commit and wakes all sessions.
		const feed = new ChangeFeed(backend, () => sync.syncAll());
		const onWrite = () => void feed.check();
		const sync = new SyncServer(backend, verifier, onWrite);

		apiServer.on('request', createApiHandler(backend, verifier, app, onWrite, opts.adminKey));
		apiServer.on('upgrade', (req, socket, head) => {
			const path = new URL(req.url ?? '/', 'http://emulator').pathname;
			if (!SYNC_PATH.test(path)) {
				socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
				return;
			}
			sync.wss.handleUpgrade(req, socket, head, (ws) => sync.wss.emit('connection', ws, req));
		});
		siteServer.on('request', createSiteHandler(backend, verifier, onWrite));

		if (!opts.quiet) console.log(banner(url, siteUrl));

		let closing: Promise<void> | undefined;
		const close = () => {
			closing ??= (async () => {
				feed.stop();
				restoreFetch();
				await sync.close();
				await Promise.all([closeServer(apiServer), closeServer(siteServer)]);
				await cancelPendingScheduledFunctions(backend).catch(() => 0);
				await finishRunningScheduledFunctions(backend).catch(() => undefined);
				for (const [key, value] of previousEnv) {
					if (value === undefined) delete process.env[key];
					else process.env[key] = value;
				}
			})();
			return closing;
		};
		return { url, siteUrl, env, close };
	} catch (error) {
		await Promise.all([closeServer(apiServer), closeServer(siteServer)]);
		throw error;
	}
}
