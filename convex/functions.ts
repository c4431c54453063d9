// Custom function builders: every public function that touches user data is built from
// these, so authorization lives here rather than in each handler. Handlers receive the
// signed-in `userId`; no function takes a user id as an argument.
import { getAuthUserId } from '@convex-dev/auth/server';
import {
	customAction,
	customCtx,
	customMutation,
	customQuery
} from 'convex-helpers/server/customFunctions';
import type { Id } from './_generated/dataModel';
import { action, mutation, query, type QueryCtx } from './_generated/server';
import { fail } from './errors';

async function requireUserId(ctx: Pick<QueryCtx, 'auth'>): Promise<Id<'users'>> {
	const userId = await getAuthUserId(ctx);
	if (!userId) fail('UNAUTHENTICATED', 'Sign in to continue.');
	return userId;
}

export const userQuery = customQuery(
	query,
	customCtx(async (ctx) => ({ userId: await requireUserId(ctx) }))
);

export const userMutation = customMutation(
	mutation,
	customCtx(async (ctx) => ({ userId: await requireUserId(ctx) }))
);

/** For the few public functions that must run as actions (e.g. sealing a secret). */
export const userAction = customAction(
	action,
	customCtx(async (ctx) => ({ userId: await requireUserId(ctx) }))
);

/**
 * The project, if `userId` owns it. Someone else's project answers exactly like a missing
 * one, so ids cannot be probed.
 */
export async function getOwnedProject(
	ctx: QueryCtx,
	userId: Id<'users'>,
	projectId: Id<'projects'>
) {
	const project = await ctx.db.get(projectId);
	if (!project || project.ownerId !== userId) fail('NOT_FOUND', 'Project not found.');
	return project;
}
