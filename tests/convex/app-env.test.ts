// A generated app's environment variables: write-only for its owner (names come back, values
// never), bounded, and in plaintext only for the deploy runner holding the operator's secret.
import { afterEach, describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { APP_ENV_LIMITS } from '../../src/lib/shared/deploy';
import { expectRefused, setup, signedIn, snapshotTables } from './setup';

const RUNNER_SECRET = 'test-runner-secret';

afterEach(() => {
	delete process.env.DEPLOY_RUNNER_SECRET;
});

async function project() {
	const t = await setup();
	const owner = await signedIn(t, 'owner@example.com');
	const projectId = await owner.as.mutation(api.projects.create, { name: 'With env' });
	return { t, owner, projectId };
}

describe('app environment variables', () => {
	test('are set, listed by name only, replaced and removed', async () => {
		const { t, owner, projectId } = await project();
		const value = 'sk-live-very-secret-value';
		await owner.as.action(api.appEnv.set, { projectId, name: 'API_KEY', value });
		await owner.as.action(api.appEnv.set, { projectId, name: 'GREETING', value: 'hello' });
		await owner.as.action(api.appEnv.set, { projectId, name: 'GREETING', value: 'hi again' });
		const listed = await owner.as.query(api.appEnv.list, { projectId });
		expect(listed.map((v) => v.name)).toEqual(['API_KEY', 'GREETING']);
		expect(JSON.stringify([listed, await snapshotTables(t)])).not.toContain(value);
		expect(await owner.as.mutation(api.appEnv.remove, { projectId, name: 'API_KEY' })).toBe(true);
		expect((await owner.as.query(api.appEnv.list, { projectId })).map((v) => v.name)).toEqual([
			'GREETING'
		]);
	});

	test('bad names, big values and one too many are refused, changing nothing', async () => {
		const { t, owner, projectId } = await project();
		for (const name of ['1ST', 'HAS SPACE', 'CONVEX_URL', 'X'.repeat(65)]) {
			await expectRefused(t, 'INVALID_ARGUMENT', () =>
				owner.as.action(api.appEnv.set, { projectId, name, value: 'v' })
			);
		}
		await expectRefused(t, 'INVALID_ARGUMENT', () =>
			owner.as.action(api.appEnv.set, {
				projectId,
				name: 'BIG',
				value: 'x'.repeat(APP_ENV_LIMITS.valueBytes + 1)
			})
		);
		for (let i = 0; i < APP_ENV_LIMITS.perProject; i++) {
			await owner.as.action(api.appEnv.set, { projectId, name: `VAR_${i}`, value: 'v' });
		}
		await expectRefused(t, 'TOO_MANY', () =>
			owner.as.action(api.appEnv.set, { projectId, name: 'ONE_MORE', value: 'v' })
		);
		// Replacing an existing one is still fine at the cap.
		await owner.as.action(api.appEnv.set, { projectId, name: 'VAR_0', value: 'new' });
	});

	test('only the deploy runner, with the operator’s secret, reads the values', async () => {
		const { t, owner, projectId } = await project();
		await owner.as.action(api.appEnv.set, { projectId, name: 'GREETING', value: 'hello' });
		const notConfigured = await expectRefused(t, 'NOT_CONFIGURED', () =>
			owner.as.action(api.appEnv.forRunner, { projectId, runnerSecret: RUNNER_SECRET })
		);
		expect(notConfigured.message).toMatch(/DEPLOY_RUNNER_SECRET/);
		process.env.DEPLOY_RUNNER_SECRET = RUNNER_SECRET;
		await expectRefused(t, 'FORBIDDEN', () =>
			owner.as.action(api.appEnv.forRunner, { projectId, runnerSecret: 'a guess' })
		);
		const stranger = await signedIn(t, 'stranger@example.com');
		await expectRefused(t, 'NOT_FOUND', () =>
			stranger.as.action(api.appEnv.forRunner, { projectId, runnerSecret: RUNNER_SECRET })
		);
		expect(
			await owner.as.action(api.appEnv.forRunner, { projectId, runnerSecret: RUNNER_SECRET })
		).toEqual([{ name: 'GREETING', value: 'hello' }]);
	});
});
