import { defineConfig, devices } from '@playwright/test';
// @ts-expect-error: a plain .mjs script, shared with npm run test:e2e
import { CHROMIUM_ARGS, findChromium } from './scripts/find-chromium.mjs';
import { E2E_RUNTIME_DIR, SELF_HOSTED_ADMIN_KEY, SELF_HOSTED_PORT } from './tests/e2e/environment';

// Browser tests run the real builder (built, then served by `vite preview`) against the Convex
// emulator (tests/harness/emulator), both on loopback ports of their own.
const EMULATOR_PORT = 3310;
/** The scripted fake LLM (tests/harness/llm); tests point a person's OpenAI-compatible setting at it. */
const FAKE_LLM_PORT = 3320;
/** The fake Convex Platform API (tests/harness/platform), where the builder provisions deployments. */
const FAKE_PLATFORM_PORT = 3330;
const APP_PORT = 4310;
const useDevServer = process.env.E2E_DEV === '1';
// Seals model keys in the emulator (convex/secrets.ts). Test-only: base64 of a 32-byte phrase.
const E2E_SECRETS_KEY = 'ZTJlIHRlc3Qtb25seSBrZXksIG5vdCBhIHNlY3JldCE=';
// Lets the builder's server read an app's environment variables for a deploy. Test-only.
const E2E_RUNNER_SECRET = 'e2e-deploy-runner-secret';

export default defineConfig({
	testDir: 'tests/e2e',
	globalSetup: './tests/e2e/global-setup.ts',
	timeout: 60_000,
	expect: { timeout: 15_000 },
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	// The JSON report feeds the closing "N passed, N failed" line of npm test.
	reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
	use: {
		baseURL: `http://127.0.0.1:${APP_PORT}`,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1400, height: 900 },
				launchOptions: {
					executablePath: findChromium() ?? undefined,
					args: CHROMIUM_ARGS
				}
			}
		}
	],
	webServer: [
		{
			command: `node --import tsx tests/harness/llm/main.ts --port ${FAKE_LLM_PORT}`,
			wait: { stdout: /FAKE_LLM_READY/ },
			reuseExistingServer: false,
			stdout: 'pipe',
			timeout: 30_000
		},
		{
			command: `node --import tsx tests/harness/platform/main.ts --port ${FAKE_PLATFORM_PORT}`,
			wait: { stdout: /FAKE_PLATFORM_READY/ },
			reuseExistingServer: false,
			stdout: 'pipe',
			timeout: 30_000
		},
		{
			command: `npx tsx tests/harness/emulator/main.ts --convex-dir convex --port ${EMULATOR_PORT} --site-port ${EMULATOR_PORT + 1} --env SECRETS_KEY=${E2E_SECRETS_KEY} --env CONVEX_PROVISION_HOST=http://127.0.0.1:${FAKE_PLATFORM_PORT} --env CONVEX_CLOUD_URL_PATTERN=http://127.0.0.1:${FAKE_PLATFORM_PORT}/cloud/{name} --env DEPLOY_RUNNER_SECRET=${E2E_RUNNER_SECRET}`,
			wait: { stdout: /EMULATOR_READY/ },
			reuseExistingServer: false,
			stdout: 'pipe',
			timeout: 60_000
		},
		{
			command: `node --import tsx tests/harness/emulator/main.ts --accept-pushes --admin-key ${SELF_HOSTED_ADMIN_KEY} --port ${SELF_HOSTED_PORT} --site-port ${SELF_HOSTED_PORT + 1} --quiet`,
			wait: { stdout: /EMULATOR_READY/ },
			reuseExistingServer: false,
			stdout: 'pipe',
			timeout: 60_000
		},
		{
			command: useDevServer
				? `npx vite dev --port ${APP_PORT} --strictPort`
				: `npx vite build && npx vite preview --port ${APP_PORT} --strictPort`,
			url: `http://127.0.0.1:${APP_PORT}/`,
			reuseExistingServer: false,
			timeout: 240_000,
			env: {
				PUBLIC_CONVEX_URL: `http://127.0.0.1:${EMULATOR_PORT}`,
				PUBLIC_CONVEX_EMULATOR: '1',
				DEPLOY_RUNNER_SECRET: E2E_RUNNER_SECRET,
				// The Convex CLI of a deploy finds a deploy key's deployment, and checks its own
				// version, at the fake Platform API rather than at Convex.
				CONVEX_PROVISION_HOST: `http://127.0.0.1:${FAKE_PLATFORM_PORT}`,
				CONVEX_VERSION_API_ORIGIN: `http://127.0.0.1:${FAKE_PLATFORM_PORT}`,
				// Previews run in the local runtime (WebContainer needs StackBlitz's servers).
				LOCAL_RUNTIME: '1',
				LOCAL_RUNTIME_DIR: E2E_RUNTIME_DIR,
				// Tests close their pages quickly: stop previews nobody watches after 5 s, so
				// earlier tests' dev servers do not compete with the next test's on 2 cores.
				LOCAL_RUNTIME_IDLE_MS: '5000'
			}
		}
	]
});
