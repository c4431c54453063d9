// Deploying a project's generated app. The pipeline itself runs where the project runs (the
// builder's server, src/lib/server/deploy/): it starts a deployment here, then reports each
// step and its log output, so every open tab sees the deploy live and its history stays.
import { v } from 'convex/values';
import { fail } from './errors';
import { getOwnedProject, userMutation, userQuery } from './functions';
import { activeDeployment, getOwnedDeployment, isStale } from './model/deployments';
import { vDeployStatus, vDeployTarget } from './deploy/schema';
import { canAdvance, DEPLOY_LIMITS } from '../src/lib/shared/deploy';

const vDeploymentSummary = v.object({
	_id: v.id('deployments'),
	_creationTime: v.number(),
	target: vDeployTarget,
	status: vDeployStatus,
	checkpointSeq: v.number(),
	url: v.union(v.string(), v.null()),
	backendUrl: v.union(v.string(), v.null()),
	error: v.union(v.string(), v.null()),
	failedStep: v.union(v.string(), v.null()),
	finishedAt: v.union(v.number(), v.null())
});

/** Starts a deployment of the project as it is now. One at a time per project. */
export const start = userMutation({
	args: { projectId: v.id('projects'), target: vDeployTarget },
	returns: v.id('deployments'),
	handler: async (ctx, { projectId, target }) => {
		const project = await getOwnedProject(ctx, ctx.userId, projectId);
		const now = Date.now();
		const active = await activeDeployment(ctx, projectId);
		if (active && !isStale(active, now)) {
			fail('CONFLICT', 'This project is already being deployed; wait for that deploy to finish.');
		}
		if (active) {
			await ctx.db.patch(active._id, {
				status: 'failed',
				error: 'The deploy stopped making progress (the builder may have restarted).',
				updatedAt: now,
				finishedAt: now
			});
		}
		return await ctx.db.insert('deployments', {
			projectId,
			ownerId: ctx.userId,
			target,
			status: 'queued',
			checkpointSeq: project.checkpointSeq,
			logChunks: 0,
			updatedAt: now
		});
	}
});

/** Moves a deployment to its next status: a step, success (with its URL) or failure. */
export const advance = userMutation({
	args: {
		deploymentId: v.id('deployments'),
		status: vDeployStatus,
		url: v.optional(v.string()),
		backendUrl: v.optional(v.string()),
		error: v.optional(v.string())
	},
	returns: v.null(),
	handler: async (ctx, { deploymentId, status, url, backendUrl, error }) => {
		const deployment = await getOwnedDeployment(ctx, ctx.userId, deploymentId);
		if (!canAdvance(deployment.status, status)) {
			fail('CONFLICT', `A deployment that is ${deployment.status} cannot become ${status}.`);
		}
		for (const value of [url, backendUrl]) {
			if (value !== undefined && !/^https?:\/\/[^\s]{1,500}$/.test(value)) {
				fail('INVALID_ARGUMENT', 'A deployment URL must be an http(s) URL.');
			}
		}
		if (status === 'succeeded' && url === undefined) {
			fail('INVALID_ARGUMENT', 'A finished deployment needs the URL it is served at.');
		}
		if (status === 'failed' && !error?.trim()) {
			fail('INVALID_ARGUMENT', 'A failed deployment needs the reason it failed.');
		}
		const now = Date.now();
		const finished = status === 'succeeded' || status === 'failed';
		await ctx.db.patch(deploymentId, {
			status,
			updatedAt: now,
			...(url === undefined ? {} : { url }),
			...(backendUrl === undefined ? {} : { backendUrl }),
			...(status === 'failed'
				? {
						error: error!.trim().slice(0, DEPLOY_LIMITS.errorChars),
						failedStep: deployment.status
					}
				: {}),
			...(finished ? { finishedAt: now } : {})
		});
		return null;
	}
});

/** Adds output to an active deployment's log. Past the cap, output is dropped with a note. */
export const appendLog = userMutation({
	args: { deploymentId: v.id('deployments'), text: v.string() },
	returns: v.null(),
	handler: async (ctx, { deploymentId, text }) => {
		const deployment = await getOwnedDeployment(ctx, ctx.userId, deploymentId);
		if (text.length > DEPLOY_LIMITS.logChunkChars) {
			fail('TOO_LARGE', `A log piece is at most ${DEPLOY_LIMITS.logChunkChars} characters.`);
		}
		if (deployment.status === 'succeeded' || deployment.status === 'failed') {
			fail('CONFLICT', 'This deployment has finished; its log is closed.');
		}
		const seq = deployment.logChunks;
		if (seq > DEPLOY_LIMITS.logChunksPerDeployment) return null;
		const full = seq === DEPLOY_LIMITS.logChunksPerDeployment;
		await ctx.db.insert('deploymentLogs', {
			deploymentId,
			seq,
			text: full ? '\n[log limit reached: later output is not kept]\n' : text
		});
		await ctx.db.patch(deploymentId, { logChunks: seq + 1, updatedAt: Date.now() });
		return null;
	}
});

/** The project's deployments, newest first. */
export const list = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.array(vDeploymentSummary),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const rows = await ctx.db
			.query('deployments')
			.withIndex('by_projectId', (q) => q.eq('projectId', projectId))
			.order('desc')
			.take(DEPLOY_LIMITS.historyLength);
		return rows.map((d) => ({
			_id: d._id,
			_creationTime: d._creationTime,
			target: d.target,
			status: d.status,
			checkpointSeq: d.checkpointSeq,
			url: d.url ?? null,
			backendUrl: d.backendUrl ?? null,
			error: d.error ?? null,
			failedStep: d.failedStep ?? null,
			finishedAt: d.finishedAt ?? null
		}));
	}
});

/** A deployment's whole log. */
export const log = userQuery({
	args: { deploymentId: v.id('deployments') },
	returns: v.string(),
	handler: async (ctx, { deploymentId }) => {
		await getOwnedDeployment(ctx, ctx.userId, deploymentId);
		const chunks = await ctx.db
			.query('deploymentLogs')
			.withIndex('by_deploymentId_and_seq', (q) => q.eq('deploymentId', deploymentId))
			.take(DEPLOY_LIMITS.logChunksPerDeployment + 1);
		return chunks.map((c) => c.text).join('');
	}
});
