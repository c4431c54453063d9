// @vitest-environment node
// The Convex connection and provisioning, against a fake of the Platform API on loopback:
// credentials are checked with Convex before they are saved, stored sealed, never returned;
// the API's 401, 429 and 5xx answers become messages a person can act on, and change nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { startFakePlatform, type FakePlatform } from '../harness/platform/server';
import { expectRefused, setup, signedIn, snapshotTables } from './setup';

const SELF_HOSTED_ADMIN_KEY = 'self-hosted-admin-key';
const DEPLOY_KEY = 'prod:happy-otter-123|secretpart';
let platform: FakePlatform;
let backend: Server;
let backendUrl = '';

beforeAll(async () => {
	platform = await startFakePlatform();
	process.env.CONVEX_PROVISION_HOST = platform.url;
	// Stands in for Convex deployments: a self-hosted backend at its root, and cloud deployments
	// under /cloud/<name>. Each answers the deployment API's list_environment_variables for the
	// one key it takes.
	const keys: Record<string, string> = {
		'/api/v1/list_environment_variables': SELF_HOSTED_ADMIN_KEY,
		'/cloud/happy-otter-123/api/v1/list_environment_variables': DEPLOY_KEY
	};
	backend = createServer((req, res) => {
		const key = keys[req.url ?? ''];
		if (!key) return res.writeHead(404).end('unknown');
		if (req.headers.authorization !== `Convex ${key}`) return res.writeHead(401).end('{}');
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ environmentVariables: {} }));
	});
	await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
	backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
	process.env.CONVEX_CLOUD_URL_PATTERN = `${backendUrl}/cloud/{name}`;
});

afterAll(async () => {
	delete process.env.CONVEX_PROVISION_HOST;
	delete process.env.CONVEX_CLOUD_URL_PATTERN;
	await platform?.close();
	backend?.close();
});

async function person() {
	const t = await setup();
	const owner = await signedIn(t, 'builder@example.com');
	const projectId = await owner.as.mutation(api.projects.create, { name: 'Grocery list' });
	return { t, owner, projectId };
}

/** Nothing a client can read holds the credential. */
async function expectNoCredentialIn(values: unknown[], secrets: string[]) {
	const text = JSON.stringify(values);
	for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('the Convex connection', () => {
	test('a team token is checked with Convex, saved sealed, and shown by its last four', async () => {
		const { t, owner } = await person();
		await owner.as.action(api.convexConnection.connect, {
			kind: 'team',
			credential: platform.token
		});
		const connection = await owner.as.query(api.convexConnection.get, {});
		expect(connection).toMatchObject({ kind: 'team', teamId: platform.teamId, url: null });
		expect(connection?.last4).toBe(platform.token.slice(-4));
		expect(platform.requests.at(-1)).toMatchObject({
			path: '/v1/token_details',
			authorization: `Bearer ${platform.token}`
		});
		// Stored only sealed: the plaintext is nowhere in the database.
		await expectNoCredentialIn([await snapshotTables(t), connection], [platform.token]);
	});

	test('a token Convex refuses is not saved, and the reason says what to do', async () => {
		const { t, owner } = await person();
		const error = await expectRefused(t, 'UPSTREAM', () =>
			owner.as.action(api.convexConnection.connect, { kind: 'team', credential: 'wrong-token' })
		);
		expect(error.message).toMatch(/refused the access token .*HTTP 401.*Connect Convex again/);
	});

	test('deploy keys and self-hosted URLs are checked before saving', async () => {
		const { t, owner } = await person();
		await expectRefused(t, 'INVALID_ARGUMENT', () =>
			owner.as.action(api.convexConnection.connect, { kind: 'deployKey', credential: 'nope' })
		);
		// A key of the right shape that its deployment refuses is not saved.
		const refused = await expectRefused(t, 'INVALID_ARGUMENT', () =>
			owner.as.action(api.convexConnection.connect, {
				kind: 'deployKey',
				credential: 'prod:happy-otter-123|wrongsecret'
			})
		);
		expect(refused.message).toMatch(/refused that deploy key \(HTTP 401\)/);
		expect(await owner.as.query(api.convexConnection.get, {})).toBeNull();
		await owner.as.action(api.convexConnection.connect, {
			kind: 'deployKey',
			credential: DEPLOY_KEY
		});
		expect(await owner.as.query(api.convexConnection.get, {})).toMatchObject({
			kind: 'deployKey',
			url: `${backendUrl}/cloud/happy-otter-123`,
			last4: 'part'
		});

		await expectRefused(t, 'INVALID_ARGUMENT', () =>
			owner.as.action(api.convexConnection.connect, {
				kind: 'selfHosted',
				credential: 'admin-key',
				url: 'ftp://example.com'
			})
		);
		const notConvex = await expectRefused(t, 'UPSTREAM', () =>
			owner.as.action(api.convexConnection.connect, {
				kind: 'selfHosted',
				credential: 'admin-key',
				url: `${backendUrl}/not-convex`
			})
		);
		expect(notConvex.message).toMatch(/answered HTTP 404; is it a Convex deployment's URL/);
		const wrongKey = await expectRefused(t, 'INVALID_ARGUMENT', () =>
			owner.as.action(api.convexConnection.connect, {
				kind: 'selfHosted',
				credential: 'not-the-admin-key',
				url: backendUrl
			})
		);
		expect(wrongKey.message).toMatch(/refused that admin key \(HTTP 401\)/);
		// Still the deploy key saved above: a refused credential changes nothing.
		expect(await owner.as.query(api.convexConnection.get, {})).toMatchObject({
			kind: 'deployKey'
		});
		await owner.as.action(api.convexConnection.connect, {
			kind: 'selfHosted',
			credential: SELF_HOSTED_ADMIN_KEY,
			url: `${backendUrl}/`
		});
		expect(await owner.as.query(api.convexConnection.get, {})).toMatchObject({
			kind: 'selfHosted',
			url: backendUrl
		});
		expect(await owner.as.mutation(api.convexConnection.disconnect, {})).toBe(true);
		expect(await owner.as.query(api.convexConnection.get, {})).toBeNull();
	});
});

describe('provisioning a project', () => {
	test('creates a Convex project with a deploy key, once', async () => {
		const { t, owner, projectId } = await person();
		await owner.as.action(api.convexConnection.connect, {
			kind: 'team',
			credential: platform.token
		});
		const projectsBefore = platform.projects.length;
		const target = await owner.as.action(api.convexConnection.provisionProject, { projectId });
		expect(platform.projects.length).toBe(projectsBefore + 1);
		const made = platform.projects.at(-1)!;
		expect(target).toEqual({
			deploymentName: made.deploymentName,
			deploymentUrl: made.deploymentUrl
		});
		const create = platform.requests.find(
			(r) => r.path === `/v1/teams/${platform.teamId}/create_project`
		);
		expect(create?.body).toMatchObject({ projectName: 'Grocery list', deploymentType: 'prod' });
		expect(platform.requests.at(-1)?.path).toBe(
			`/v1/deployments/${made.deploymentName}/create_deploy_key`
		);
		expect(await owner.as.query(api.convexConnection.projectTarget, { projectId })).toEqual(target);

		// Again: the same deployment, no new calls to Convex.
		const calls = platform.requests.length;
		expect(await owner.as.action(api.convexConnection.provisionProject, { projectId })).toEqual(
			target
		);
		expect(platform.requests.length).toBe(calls);

		// Neither the token nor the deploy key reaches a client, or the database in plaintext.
		await expectNoCredentialIn(
			[
				await owner.as.query(api.convexConnection.get, {}),
				await owner.as.query(api.convexConnection.projectTarget, { projectId }),
				await owner.as.query(api.deployments.list, { projectId }),
				await snapshotTables(t)
			],
			[platform.token, platform.deployKeys.at(-1)!]
		);
	});

	test.each([
		[
			/create_project$/,
			401,
			/refused the access token while creating a Convex project \(HTTP 401\)/
		],
		[/create_project$/, 429, /rate limiting requests .*HTTP 429.*Wait a minute/],
		[/create_deploy_key$/, 503, /Convex's API failed while creating a deploy key \(HTTP 503\)/]
	])(
		'a %s answering %i is a readable failure that stores nothing',
		async (path, status, message) => {
			const { t, owner, projectId } = await person();
			await owner.as.action(api.convexConnection.connect, {
				kind: 'team',
				credential: platform.token
			});
			const projectsBefore = platform.projects.length;
			platform.failNext(path, status);
			const error = await expectRefused(t, 'UPSTREAM', () =>
				owner.as.action(api.convexConnection.provisionProject, { projectId })
			);
			expect(error.message).toMatch(message);
			expect(await owner.as.query(api.convexConnection.projectTarget, { projectId })).toBeNull();
			// A Convex project made before the failure is deleted again: no orphan per retry.
			expect(platform.projects.length).toBe(projectsBefore);
		}
	);

	test('a project that cannot be removed after a failure is named, to delete by hand', async () => {
		const { t, owner, projectId } = await person();
		await owner.as.action(api.convexConnection.connect, {
			kind: 'team',
			credential: platform.token
		});
		platform.failNext(/create_deploy_key$/, 500);
		platform.failNext(/\/delete$/, 500);
		const error = await expectRefused(t, 'UPSTREAM', () =>
			owner.as.action(api.convexConnection.provisionProject, { projectId })
		);
		const left = platform.projects.at(-1)!;
		expect(error.message).toMatch(/failed while creating a deploy key \(HTTP 500\)/);
		expect(error.message).toContain(
			`The Convex project "${left.slug}" made for this app could not be removed again; delete it in the Convex dashboard.`
		);
		expect(await owner.as.query(api.convexConnection.projectTarget, { projectId })).toBeNull();

		// Trying again works, and removes nothing it should not.
		const target = await owner.as.action(api.convexConnection.provisionProject, { projectId });
		expect(platform.projects.map((p) => p.deploymentName)).toContain(target.deploymentName);
		expect(platform.projects).toContain(left);
	});

	test('without a team connection, it says how to connect', async () => {
		const { t, owner, projectId } = await person();
		const error = await expectRefused(t, 'NOT_CONFIGURED', () =>
			owner.as.action(api.convexConnection.provisionProject, { projectId })
		);
		expect(error.message).toMatch(/team access token in Settings/);
	});
});

describe('credentials for the deploy runner', () => {
	const runnerSecret = 'test-runner-secret';

	test('only the runner with the operator’s secret gets them; a team provisions on first use', async () => {
		const { t, owner, projectId } = await person();
		process.env.DEPLOY_RUNNER_SECRET = runnerSecret;
		try {
			await expectRefused(t, 'NOT_CONFIGURED', () =>
				owner.as.action(api.convexConnection.credentialsForRunner, { projectId, runnerSecret })
			);
			await owner.as.action(api.convexConnection.connect, {
				kind: 'team',
				credential: platform.token
			});
			await expectRefused(t, 'FORBIDDEN', () =>
				owner.as.action(api.convexConnection.credentialsForRunner, {
					projectId,
					runnerSecret: 'from a browser'
				})
			);
			const stranger = await signedIn(t, 'stranger@example.com');
			await expectRefused(t, 'NOT_FOUND', () =>
				stranger.as.action(api.convexConnection.credentialsForRunner, { projectId, runnerSecret })
			);
			const credentials = await owner.as.action(api.convexConnection.credentialsForRunner, {
				projectId,
				runnerSecret
			});
			const made = platform.projects.at(-1)!;
			expect(credentials).toEqual({
				kind: 'cloud',
				deploymentUrl: made.deploymentUrl,
				deployKey: platform.deployKeys.at(-1)
			});

			await owner.as.action(api.convexConnection.connect, {
				kind: 'selfHosted',
				credential: SELF_HOSTED_ADMIN_KEY,
				url: backendUrl
			});
			expect(
				await owner.as.action(api.convexConnection.credentialsForRunner, {
					projectId,
					runnerSecret
				})
			).toEqual({
				kind: 'selfHosted',
				deploymentUrl: backendUrl,
				adminKey: SELF_HOSTED_ADMIN_KEY
			});
		} finally {
			delete process.env.DEPLOY_RUNNER_SECRET;
		}
	});

	test('the preview backend is a dev deployment for a team, made once; none otherwise', async () => {
		const { t, owner, projectId } = await person();
		process.env.DEPLOY_RUNNER_SECRET = runnerSecret;
		try {
			// Without a team connection the preview keeps its local backend.
			expect(
				await owner.as.action(api.convexConnection.previewBackendForRunner, {
					projectId,
					runnerSecret
				})
			).toBeNull();
			await owner.as.action(api.convexConnection.connect, {
				kind: 'team',
				credential: platform.token
			});
			await expectRefused(t, 'FORBIDDEN', () =>
				owner.as.action(api.convexConnection.previewBackendForRunner, {
					projectId,
					runnerSecret: 'from a browser'
				})
			);
			const stranger = await signedIn(t, 'stranger@example.com');
			await expectRefused(t, 'NOT_FOUND', () =>
				stranger.as.action(api.convexConnection.previewBackendForRunner, {
					projectId,
					runnerSecret
				})
			);

			const before = platform.requests.length;
			const preview = await owner.as.action(api.convexConnection.previewBackendForRunner, {
				projectId,
				runnerSecret
			});
			const made = platform.requests.slice(before).map((r) => r.path);
			// The project's Convex project first (its production deployment), then the dev one.
			expect(made).toEqual([
				expect.stringMatching(/create_project$/),
				expect.stringMatching(/create_deploy_key$/),
				expect.stringMatching(/\/projects\/\d+\/create_deployment$/),
				expect.stringMatching(/fake-dev-deployment-\d+\/create_deploy_key$/)
			]);
			expect(preview!.deployKey).toBe(platform.deployKeys.at(-1));
			expect(preview!.deployKey).toMatch(/^dev:fake-dev-deployment-\d+\|/);
			const prod = await owner.as.action(api.convexConnection.credentialsForRunner, {
				projectId,
				runnerSecret
			});
			expect(prod.deploymentUrl).not.toBe(preview!.deploymentUrl);

			// Made once: the next preview gets the same deployment without asking Convex.
			const again = platform.requests.length;
			expect(
				await owner.as.action(api.convexConnection.previewBackendForRunner, {
					projectId,
					runnerSecret
				})
			).toEqual(preview);
			expect(platform.requests.length).toBe(again);
			await expectNoCredentialIn(
				[await owner.as.query(api.convexConnection.projectTarget, { projectId })],
				[preview!.deployKey]
			);
		} finally {
			delete process.env.DEPLOY_RUNNER_SECRET;
		}
	});
});
