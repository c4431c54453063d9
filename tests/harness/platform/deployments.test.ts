// @vitest-environment node
// The fake Platform's deployments take a real `convex deploy` with the deploy key it issued,
// found the way the CLI finds a cloud deployment (through CONVEX_PROVISION_HOST).
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConvexHttpClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatform, type FakePlatform } from './server';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const fixture = join(repoRoot, 'tests/harness/emulator/fixture');

type Message = { author: string; body: string };
const list = makeFunctionReference<'query', Record<string, never>, Message[]>('messages:list');
const send = makeFunctionReference<'mutation', Message, string>('messages:send');

let platform: FakePlatform;

async function platformPost<T>(path: string, body: unknown): Promise<T> {
	const response = await fetch(`${platform.url}/v1${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	expect(response.status).toBe(200);
	return (await response.json()) as T;
}

function deploy(deployKey: string) {
	return promisify(execFile)(
		join(repoRoot, 'node_modules/.bin/convex'),
		['deploy', '--yes', '--typecheck', 'disable', '--codegen', 'disable'],
		{
			cwd: fixture,
			timeout: 90_000,
			env: {
				...process.env,
				CI: '1',
				CONVEX_DEPLOYMENT: '',
				CONVEX_SELF_HOSTED_URL: '',
				CONVEX_DEPLOY_KEY: deployKey,
				CONVEX_PROVISION_HOST: platform.url,
				CONVEX_VERSION_API_ORIGIN: platform.url
			}
		}
	);
}

beforeAll(async () => {
	platform = await startFakePlatform();
});

afterAll(async () => {
	await platform?.close();
});

describe('fake Platform deployments', () => {
	it('a provisioned deployment takes a push with its deploy key and serves it at its own URL', async () => {
		const project = await platformPost<{ deploymentName: string; deploymentUrl: string }>(
			`/teams/${platform.teamId}/create_project`,
			{ projectName: 'Push test', deploymentType: 'prod' }
		);
		const { deployKey } = await platformPost<{ deployKey: string }>(
			`/deployments/${project.deploymentName}/create_deploy_key`,
			{ name: 'test' }
		);

		const { stderr } = await deploy(deployKey);
		expect(stderr).toContain(`Deployed Convex functions to ${project.deploymentUrl}`);

		const http = new ConvexHttpClient(project.deploymentUrl);
		await http.mutation(send, { author: 'ada', body: 'pushed' });
		expect(await http.query(list, {})).toEqual([{ author: 'ada', body: 'pushed' }]);
		// The same deployment, under the fake's /cloud/<name> too.
		const viaPattern = new ConvexHttpClient(
			platform.cloudUrlPattern.replace('{name}', project.deploymentName)
		);
		expect(await viaPattern.query(list, {})).toEqual([{ author: 'ada', body: 'pushed' }]);
	}, 120_000);

	it('refuses a key it never issued, before anything is pushed', async () => {
		await expect(deploy('prod:fake-deployment-99|made-up-secret')).rejects.toThrow(
			/Invalid deploy key|401/
		);
	}, 60_000);
});
