// The whole builder for a browser bench: the Convex emulator with the app's functions, the fake
// LLM, the builder's Vite dev server and Chromium, on loopback ports away from the e2e suite's.
import { chromium, type Browser } from '@playwright/test';
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
			await startServer(
				'vite dev',
				[
					...['node_modules/vite/bin/vite.js', 'dev', '--port', `${appPort}`, '--strictPort'],
					...['--config', 'tests/bench/builder.vite.config.ts']
				],
				{
					ready: /ready in/,
					timeoutMs: 60_000,
					cwd: root,
					env: {
						PUBLIC_CONVEX_URL: `http://127.0.0.1:${emulatorPort}`,
						PUBLIC_CONVEX_EMULATOR: '1',
						...options.appEnv
					}
				}
			)
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
