// The whole builder for a browser bench: the Convex emulator with the app's functions, the fake
// LLM, the builder as it is deployed (its production build, served by server.js) and Chromium,
// on loopback ports away from the e2e suite's. A dev server would time its own on-demand
// compiling of the builder's pages, which no one running the builder waits for.
import { chromium, type Browser } from '@playwright/test';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';
import { freePortBlock, startServer, stopServer, type Server } from './servers';

export const root = fileURLToPath(new URL('../..', import.meta.url));
// Seals model keys in the emulator (convex/secrets.ts), as in playwright.config.ts. Test-only.
const SECRETS_KEY = 'ZTJlIHRlc3Qtb25seSBrZXksIG5vdCBhIHNlY3JldCE=';

export interface Builder {
	appUrl: string;
	llmUrl: string;
	browser: Browser;
	stop(): Promise<void>;
}

/**
 * Builds the builder into build/ once per `npm run bench` (scripts/bench.mjs names the run in
 * BENCH_RUN; without it, every start builds). The e2e suite builds there too: the two never
 * run at once.
 */
async function buildOnce() {
	const marker = join(root, 'build', '.bench-run');
	const run = process.env.BENCH_RUN;
	if (run && existsSync(marker) && readFileSync(marker, 'utf8') === run) return;
	await new Promise<void>((resolve, reject) => {
		execFile(
			process.execPath,
			['node_modules/vite/bin/vite.js', 'build'],
			{ cwd: root, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) =>
				error
					? reject(new Error(`Building the builder failed:\n${stdout}\n${stderr}`.slice(-4000)))
					: resolve()
		);
	});
	if (run) writeFileSync(marker, run);
}

export async function startBuilder(
	options: { emulatorEnv?: string[]; appEnv?: Record<string, string> } = {}
): Promise<Builder> {
	// Away from 3310/3311/3320/4310 (e2e) and from whatever else runs in this tree.
	const base = await freePortBlock([3710, 3730, 3750, 3770, 3790], [0, 1, 10, 1000]);
	const emulatorPort = base;
	const llmPort = base + 10;
	const appPort = base + 1000;
	const servers: Server[] = [];
	const stop = async () => {
		await browser?.close().catch(() => undefined);
		await Promise.all(servers.map((server) => stopServer(server)));
	};
	let browser: Browser | undefined;
	try {
		await buildOnce();
		const started = await Promise.all([
			startServer(
				'fake LLM',
				['--import', 'tsx', 'tests/harness/llm/main.ts', '--port', `${llmPort}`],
				{ ready: /FAKE_LLM_READY/, timeoutMs: 30_000, cwd: root }
			),
			startServer(
				'emulator',
				[
					...['--import', 'tsx', 'tests/harness/emulator/main.ts', '--convex-dir', 'convex'],
					...['--port', `${emulatorPort}`, '--site-port', `${emulatorPort + 1}`],
					...['--env', `SECRETS_KEY=${SECRETS_KEY}`],
					...(options.emulatorEnv ?? []).flatMap((env) => ['--env', env])
				],
				{ ready: /EMULATOR_READY/, timeoutMs: 60_000, cwd: root }
			)
		]);
		servers.push(...started);
		servers.push(
			await startServer('builder', ['server.js'], {
				ready: /Appbuilder on/,
				timeoutMs: 60_000,
				cwd: root,
				env: {
					PORT: String(appPort),
					PUBLIC_CONVEX_URL: `http://127.0.0.1:${emulatorPort}`,
					PUBLIC_CONVEX_EMULATOR: '1',
					...options.appEnv
				}
			})
		);
		browser = await chromium.launch({
			executablePath: findChromium() ?? undefined,
			args: CHROMIUM_ARGS
		});
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		appUrl: `http://127.0.0.1:${appPort}`,
		llmUrl: `http://127.0.0.1:${llmPort}/v1`,
		browser,
		stop
	};
}

/** Nearest rank: with 7 samples p50 is the 4th and p90 the 7th (the max). */
export function percentile(sorted: number[], p: number): number {
	return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
