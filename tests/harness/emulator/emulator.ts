// Starts an in-memory Convex backend (convex-test) behind Convex's own client protocols, so
// ConvexClient, ConvexHttpClient and convex-svelte connect to it unchanged.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { convexTest, type TestConvex } from 'convex-test';
import { defineSchema } from 'convex/server';
import { TokenVerifier } from './auth';
import { generateAuthEnv } from './auth-keys';
import { Backend, type AppTestConvex } from './backend';
import { banner } from './banner';
import { ChangeFeed } from './change-feed';
import { createApiHandler } from './http-api';
import { registerAppComponents } from './components';
import { createDeployApi } from './deploy-api';
import { loadConvexApp, type ConvexApp, type ModuleLoader } from './modules';
import type { PushedApp } from './pushed-app';
import { cancelPendingScheduledFunctions, finishRunningScheduledFunctions } from './scheduler';
import { createSiteHandler } from './site-server';
import { serveFakeStorageUrls } from './storage';
import { SyncServer } from './sync-server';

export interface EmulatorOptions {
	/**
	 * Absolute path of a convex/ functions folder containing schema.ts and _generated/. Without
	 * it the emulator starts with no functions (for `acceptPushes`).
	 */
	convexDir?: string;
	/**
	 * Serve the endpoints `npx convex deploy` pushes to (with `adminKey`), as a self-hosted
	 * backend does: each push replaces the functions, and starts them on an empty database.
	 */
	acceptPushes?: boolean;
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

	const verifier = new TokenVerifier(env.JWKS, env.CONVEX_SITE_URL);
	// What serves the deployment's functions now; a push swaps in a new one.
	let served: Served | null = null;
	const current = () => served!;

	try {
		if (opts.acceptPushes && opts.adminKey === undefined) {
			throw new Error('acceptPushes needs an adminKey: the Convex CLI pushes as the admin.');
		}
		served = await serve(
			opts.convexDir ? await loadFolder(opts.convexDir, opts.registerComponents) : emptyApp(),
			url,
			verifier,
			opts.adminKey
		);
		const restoreFetch = serveFakeStorageUrls(() => current().backend);
		const deployApi = opts.acceptPushes
			? createDeployApi({
					adminKey: opts.adminKey!,
					env,
					setEnv: (name, value) => {
						if (!previousEnv.has(name)) previousEnv.set(name, process.env[name]);
						if (value === null) {
							delete env[name];
							delete process.env[name];
						} else {
							env[name] = value;
							process.env[name] = value;
						}
					},
					activate: async (pushed) => {
						const next = await serve(pushedLoad(pushed), url, verifier, opts.adminKey);
						const previous = current();
						served = next;
						// Its clients reconnect, to the new code.
						await previous.close();
					}
				})
			: null;

		apiServer.on('request', async (req, res) => {
			if (deployApi && (await deployApi(req, res))) return;
			current().api(req, res);
		});
		apiServer.on('upgrade', (req, socket, head) => {
			const path = new URL(req.url ?? '/', 'http://emulator').pathname;
			if (!SYNC_PATH.test(path)) {
				socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
				return;
			}
			const { sync } = current();
			sync.wss.handleUpgrade(req, socket, head, (ws) => sync.wss.emit('connection', ws, req));
		});
		siteServer.on('request', (req, res) => current().site(req, res));

		if (!opts.quiet) console.log(banner(url, siteUrl));

		let closing: Promise<void> | undefined;
		const close = () => {
			closing ??= (async () => {
				// Sessions first: the servers' close waits for upgraded sockets to end.
				await current().close();
				await Promise.all([closeServer(apiServer), closeServer(siteServer)]);
				restoreFetch();
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
		await served?.close();
		throw error;
	}
}

/** An app's functions and how to register its components with a convex-test instance. */
interface LoadedApp {
	app: ConvexApp;
	registerComponents(t: AppTestConvex): Promise<Map<string, Map<string, ModuleLoader>> | undefined>;
}

async function loadFolder(
	convexDir: string,
	register: EmulatorOptions['registerComponents']
): Promise<LoadedApp> {
	const app = await loadConvexApp(convexDir);
	return {
		app,
		// Without an explicit hook, register what the app's convex.config.ts uses.
		registerComponents: async (t) => {
			if (!register) return await registerAppComponents(t as never, convexDir);
			register(t);
			return undefined;
		}
	};
}

function pushedLoad(pushed: PushedApp): LoadedApp {
	return {
		app: pushed.app,
		registerComponents: async (t) => pushed.registerComponents(t as never)
	};
}

/** A deployment nothing has been pushed to yet: no functions, no tables. */
function emptyApp(): LoadedApp {
	const none = async (udfPath: string) => ({
		error: `Could not find function for '${udfPath}': nothing has been pushed to this deployment yet.`
	});
	return {
		app: {
			schema: defineSchema({}),
			modules: { '/empty/_generated/api.js': async () => ({}) },
			resolvePublic: none,
			resolveAny: none
		},
		registerComponents: async () => undefined
	};
}

/** One app served: its convex-test instance and the handlers and sessions in front of it. */
interface Served {
	backend: Backend;
	sync: SyncServer;
	api: ReturnType<typeof createApiHandler>;
	site: ReturnType<typeof createSiteHandler>;
	close(): Promise<void>;
}

async function serve(
	loaded: LoadedApp,
	url: string,
	verifier: TokenVerifier,
	adminKey: string | undefined
): Promise<Served> {
	const t: AppTestConvex = convexTest(loaded.app.schema, loaded.app.modules);
	const componentModules = await loaded.registerComponents(t);
	const backend = new Backend(t, loaded.app, url, componentModules);
	// Every write path pokes the feed, which notices the new commit and wakes all sessions.
	const feed = new ChangeFeed(backend, () => sync.syncAll());
	const onWrite = () => void feed.check();
	const sync = new SyncServer(backend, verifier, onWrite);
	return {
		backend,
		sync,
		api: createApiHandler(backend, verifier, loaded.app, onWrite, adminKey),
		site: createSiteHandler(backend, verifier, onWrite),
		async close() {
			feed.stop();
			await sync.close();
			await cancelPendingScheduledFunctions(backend).catch(() => 0);
			await finishRunningScheduledFunctions(backend).catch(() => undefined);
		}
	};
}
