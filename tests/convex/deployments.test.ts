// Deployments: a state machine the pipeline reports into, one active deploy per project, a
// bounded log, and history that goes away with its project.
import { describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { DEPLOY_LIMITS } from '../../src/lib/shared/deploy';
import { expectRefused, setup, signedIn } from './setup';

async function project() {
	const t = await setup();
	const owner = await signedIn(t, 'owner@example.com');
	const projectId = await owner.as.mutation(api.projects.create, { name: 'Deploy me' });
	return { t, owner, projectId };
}

describe('deployments', () => {
	test('a deploy passes through its steps to a URL, with its log', async () => {
		const { t, owner, projectId } = await project();
		const deploymentId = await owner.as.mutation(api.deployments.start, {
			projectId,
			target: 'offline'
		});
		for (const status of ['checking', 'pushing', 'building', 'uploading'] as const) {
			await owner.as.mutation(api.deployments.advance, { deploymentId, status });
			await owner.as.mutation(api.deployments.appendLog, { deploymentId, text: `${status}\n` });
		}
		await owner.as.mutation(api.deployments.advance, {
			deploymentId,
			status: 'succeeded',
			url: 'http://127.0.0.1:4000/',
			backendUrl: 'http://127.0.0.1:4001'
		});
		const [latest] = await owner.as.query(api.deployments.list, { projectId });
		expect(latest).toMatchObject({
			status: 'succeeded',
			url: 'http://127.0.0.1:4000/',
			error: null,
			checkpointSeq: 0
		});
		expect(latest.finishedAt).toBeTypeOf('number');
		expect(await owner.as.query(api.deployments.log, { deploymentId })).toBe(
			'checking\npushing\nbuilding\nuploading\n'
		);
		// Finished is final: no more steps, no more log.
		await expectRefused(t, 'CONFLICT', () =>
			owner.as.mutation(api.deployments.advance, { deploymentId, status: 'failed', error: 'x' })
		);
	});

	test('steps cannot be skipped, and a failure says why and where', async () => {
		const { t, owner, projectId } = await project();
		const deploymentId = await owner.as.mutation(api.deployments.start, {
			projectId,
			target: 'offline'
		});
		await expectRefused(t, 'CONFLICT', () =>
			owner.as.mutation(api.deployments.advance, { deploymentId, status: 'pushing' })
		);
		await owner.as.mutation(api.deployments.advance, { deploymentId, status: 'checking' });
		await expectRefused(t, 'INVALID_ARGUMENT', () =>
			owner.as.mutation(api.deployments.advance, { deploymentId, status: 'failed', error: ' ' })
		);
		await expectRefused(t, 'INVALID_ARGUMENT', () =>
			owner.as.mutation(api.deployments.advance, {
				deploymentId,
				status: 'pushing',
				url: 'javascript:alert(1)'
			})
		);
		await owner.as.mutation(api.deployments.advance, {
			deploymentId,
			status: 'failed',
			error: 'Typecheck failed.'
		});
		const [latest] = await owner.as.query(api.deployments.list, { projectId });
		expect(latest).toMatchObject({
			status: 'failed',
			error: 'Typecheck failed.',
			failedStep: 'checking',
			url: null
		});
	});

	test('one deploy at a time; an abandoned one makes way', async () => {
		const { t, owner, projectId } = await project();
		const first = await owner.as.mutation(api.deployments.start, { projectId, target: 'offline' });
		await expectRefused(t, 'CONFLICT', () =>
			owner.as.mutation(api.deployments.start, { projectId, target: 'offline' })
		);
		await t.run((ctx) =>
			ctx.db.patch(first, { updatedAt: Date.now() - DEPLOY_LIMITS.staleAfterMs - 1 })
		);
		const second = await owner.as.mutation(api.deployments.start, { projectId, target: 'offline' });
		const list = await owner.as.query(api.deployments.list, { projectId });
		expect(list.map((d) => [d._id, d.status])).toEqual([
			[second, 'queued'],
			[first, 'failed']
		]);
		expect(list[1].error).toMatch(/stopped making progress/);
	});

	test('the log is bounded in piece size and count', async () => {
		const { t, owner, projectId } = await project();
		const deploymentId = await owner.as.mutation(api.deployments.start, {
			projectId,
			target: 'offline'
		});
		await expectRefused(t, 'TOO_LARGE', () =>
			owner.as.mutation(api.deployments.appendLog, {
				deploymentId,
				text: 'x'.repeat(DEPLOY_LIMITS.logChunkChars + 1)
			})
		);
		await t.run((ctx) =>
			ctx.db.patch(deploymentId, { logChunks: DEPLOY_LIMITS.logChunksPerDeployment })
		);
		await owner.as.mutation(api.deployments.appendLog, { deploymentId, text: 'dropped' });
		await owner.as.mutation(api.deployments.appendLog, { deploymentId, text: 'dropped too' });
		expect(await owner.as.query(api.deployments.log, { deploymentId })).toBe(
			'\n[log limit reached: later output is not kept]\n'
		);
	});

	test("a deleted project's deployments and logs are purged", async () => {
		const { t, owner, projectId } = await project();
		const deploymentId = await owner.as.mutation(api.deployments.start, {
			projectId,
			target: 'offline'
		});
		await owner.as.mutation(api.deployments.appendLog, { deploymentId, text: 'output' });
		await owner.as.mutation(api.projects.remove, { projectId });
		await t.finishAllScheduledFunctions(() => undefined);
		const left = await t.run(async (ctx) => [
			...(await ctx.db.query('deployments').collect()),
			...(await ctx.db.query('deploymentLogs').collect())
		]);
		expect(left).toEqual([]);
	});
});
