// Plain helpers over the deployments tables, for the handlers in convex/deployments.ts and the
// project purge.
import type { Doc, Id } from '../_generated/dataModel';
import type { MutationCtx, QueryCtx } from '../_generated/server';
import { fail } from '../errors';
import { ACTIVE_DEPLOY_STATUSES, DEPLOY_LIMITS } from '../../src/lib/shared/deploy';

/** The deployment, if `userId` owns its project; otherwise the same answer as a missing one. */
export async function getOwnedDeployment(
	ctx: QueryCtx,
	userId: Id<'users'>,
	deploymentId: Id<'deployments'>
): Promise<Doc<'deployments'>> {
	const deployment = await ctx.db.get(deploymentId);
	if (!deployment || deployment.ownerId !== userId || !(await ctx.db.get(deployment.projectId))) {
		fail('NOT_FOUND', 'Deployment not found.');
	}
	return deployment;
}

/** The project's active deployment, if any (at most one exists). */
export async function activeDeployment(ctx: QueryCtx, projectId: Id<'projects'>) {
	for (const status of ACTIVE_DEPLOY_STATUSES) {
		const found = await ctx.db
			.query('deployments')
			.withIndex('by_projectId_and_status', (q) =>
				q.eq('projectId', projectId).eq('status', status)
			)
			.first();
		if (found) return found;
	}
	return null;
}

export function isStale(deployment: Doc<'deployments'>, now: number) {
	return now - deployment.updatedAt > DEPLOY_LIMITS.staleAfterMs;
}

/**
 * Deletes up to `budget` rows of a deleted project's deployments (its provisioned target's sealed
 * deploy key and the app's environment variables); returns how many.
 */
export async function purgeDeployments(
	ctx: MutationCtx,
	projectId: Id<'projects'>,
	budget: number
): Promise<number> {
	let used = 0;
	const target = await ctx.db
		.query('projectDeployTargets')
		.withIndex('by_projectId', (q) => q.eq('projectId', projectId))
		.unique();
	if (target) {
		await ctx.db.delete(target._id);
		used += 1;
	}
	const envVars = await ctx.db
		.query('appEnvVars')
		.withIndex('by_projectId_and_name', (q) => q.eq('projectId', projectId))
		.take(budget - used);
	for (const row of envVars) await ctx.db.delete(row._id);
	used += envVars.length;
	if (used >= budget) return used;
	const deployments = await ctx.db
		.query('deployments')
		.withIndex('by_projectId', (q) => q.eq('projectId', projectId))
		.take(budget);
	for (const deployment of deployments) {
		const logs = await ctx.db
			.query('deploymentLogs')
			.withIndex('by_deploymentId_and_seq', (q) => q.eq('deploymentId', deployment._id))
			.take(budget - used);
		for (const row of logs) await ctx.db.delete(row._id);
		used += logs.length;
		if (used >= budget) return used;
		await ctx.db.delete(deployment._id);
		used += 1;
	}
	return used;
}
