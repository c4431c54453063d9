// @vitest-environment node
// The emulator as a self-hosted deployment: the real Convex CLI (`convex deploy`) pushes the
// fixture app to it, and the pushed code is what clients then run.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDeploymentClient } from '@convex-dev/platform';
import { ConvexClient, ConvexHttpClient, type ConvexClientOptions } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEmulator, type Emulator } from './emulator';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const CLI = join(repoRoot, 'node_modules/.bin/convex');
const ADMIN_KEY = 'self-hosted-test-admin-key';

type Message = { author: string; body: string };
const list = makeFunctionReference<'query', Record<string, never>, Message[]>('messages:list');
const send = makeFunctionReference<'mutation', Message, string>('messages:send');
const greeting = makeFunctionReference<'query', Record<string, never>, string>('extra:greeting');

const webSocketConstructor = WebSocket as unknown as ConvexClientOptions['webSocketConstructor'];

let emulator: Emulator;
let project: string;

/** `convex deploy` from the project copy, as the builder's deploy runs it. */
async function deploy(adminKey = ADMIN_KEY) {
	return await promisify(execFile)(
		CLI,
		['deploy', '--yes', '--typecheck', 'disable', '--codegen', 'disable'],
		{
			cwd: project,
			timeout: 90_000,
			env: {
				...process.env,
				CI: '1',
				CONVEX_DEPLOYMENT: '',
				CONVEX_DEPLOY_KEY: '',
				CONVEX_SELF_HOSTED_URL: emulator.url,
				CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey
			}
		}
	);
}

beforeAll(async () => {
	// A copy of the fixture app, so tests can change its code; its imports resolve through the
	// repository's node_modules, as a project's do through its own.
	project = mkdtempSync(join(tmpdir(), 'emulator-push-'));
	cpSync(join(here, 'fixture'), project, { recursive: true });
	symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
	emulator = await startEmulator({ quiet: true, acceptPushes: true, adminKey: ADMIN_KEY });
}, 30_000);

afterAll(async () => {
	await emulator?.close();
	if (project) rmSync(project, { recursive: true, force: true });
});

describe('convex emulator accepting pushes', () => {
	it('has no functions until something is pushed', async () => {
		const http = new ConvexHttpClient(emulator.url);
		await expect(http.query(list, {})).rejects.toThrow(/nothing has been pushed/);
	});

	it('refuses a push with the wrong admin key, and changes nothing', async () => {
		await expect(deploy('not-the-key')).rejects.toThrow(/admin key was invalid|BadAdminKey/);
		const http = new ConvexHttpClient(emulator.url);
		await expect(http.query(list, {})).rejects.toThrow(/nothing has been pushed/);
	});

	it('runs what `convex deploy` pushed, and a second push replaces it for connected clients', async () => {
		const { stderr } = await deploy();
		expect(stderr).toContain(`Deployed Convex functions to ${emulator.url}`);

		const client = new ConvexClient(emulator.url, { webSocketConstructor, logger: false });
		try {
			await client.mutation(send, { author: 'ada', body: 'first' });
			expect(await client.query(list, {})).toEqual([{ author: 'ada', body: 'first' }]);
			await expect(client.query(greeting, {})).rejects.toThrow(/Could not find public function/);

			writeFileSync(
				join(project, 'convex', 'extra.ts'),
				`import { query } from './_generated/server';\n` +
					`export const greeting = query({ args: {}, handler: async () => 'hello from push 2' });\n`
			);
			await deploy();
			// The same client reconnects to the new code.
			await expect.poll(() => client.query(greeting, {}).catch(String)).toBe('hello from push 2');
		} finally {
			await client.close();
			rmSync(join(project, 'convex', 'extra.ts'), { force: true });
		}
	}, 120_000);

	it('rejects a push whose module throws on import, and keeps serving the last one', async () => {
		await deploy();
		writeFileSync(
			join(project, 'convex', 'broken.ts'),
			`throw new Error('broken at import');\nexport {};\n`
		);
		try {
			await expect(deploy()).rejects.toThrow(/broken at import/);
		} finally {
			rmSync(join(project, 'convex', 'broken.ts'), { force: true });
		}
		const http = new ConvexHttpClient(emulator.url);
		expect(await http.query(list, {})).toEqual([]);
	}, 120_000);

	it('lists and sets environment variables through the deployment API, for the admin only', async () => {
		const admin = createDeploymentClient(emulator.url, ADMIN_KEY);
		const set = await admin.POST('/update_environment_variables', {
			body: { changes: [{ name: 'GREETING', value: 'hi' }] }
		});
		expect(set.response.status).toBe(200);
		const listed = await admin.GET('/list_environment_variables');
		expect(listed.data?.environmentVariables.GREETING).toBe('hi');
		// The deployment's own URLs are built in, not variables a person set.
		expect(listed.data?.environmentVariables).not.toHaveProperty('CONVEX_CLOUD_URL');
		expect(process.env.GREETING).toBe('hi');

		await admin.POST('/update_environment_variables', {
			body: { changes: [{ name: 'GREETING', value: null }] }
		});
		expect(
			(await admin.GET('/list_environment_variables')).data?.environmentVariables
		).not.toHaveProperty('GREETING');

		const stranger = createDeploymentClient(emulator.url, 'wrong');
		const refused = await stranger.GET('/list_environment_variables');
		expect(refused.response.status).toBe(401);
	});
});
