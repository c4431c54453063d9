// A generated app's environment variables: the owner sets and removes them (write-only: only
// names come back); each deploy sets them on the app's deployment. Values are sealed at rest.
import { v } from 'convex/values';
import { internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import { internalMutation, internalQuery, type QueryCtx } from './_generated/server';
import { fail } from './errors';
import { getOwnedProject, userAction, userMutation, userQuery } from './functions';
import { checkRunnerSecret } from './model/runnerSecret';
import { secretsKeys } from './model/secretBox';
import { APP_ENV_LIMITS, envVarNameProblem, envVarValueProblem } from '../src/lib/shared/deploy';

function sealContext(projectId: Id<'projects'>, name: string) {
	return `appEnv:${projectId}:${name}`;
}

async function findRow(ctx: QueryCtx, projectId: Id<'projects'>, name: string) {
	return await ctx.db
		.query('appEnvVars')
		.withIndex('by_projectId_and_name', (q) => q.eq('projectId', projectId).eq('name', name))
		.unique();
}

/** The names of the project's variables (never their values). */
export const list = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.array(v.object({ name: v.string(), updatedAt: v.number() })),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const rows = await ctx.db
			.query('appEnvVars')
			.withIndex('by_projectId_and_name', (q) => q.eq('projectId', projectId))
			.take(APP_ENV_LIMITS.perProject);
		return rows.map(({ name, updatedAt }) => ({ name, updatedAt }));
	}
});

/** Sets (or replaces) a variable; it reaches the app at its next deploy. */
export const set = userAction({
	args: { projectId: v.id('projects'), name: v.string(), value: v.string() },
	returns: v.null(),
	handler: async (ctx, { projectId, name, value }) => {
		// Someone else's project answers as missing before anything about the input is said.
		await ctx.runQuery(internal.appEnv.checkCanSetUnchecked, {
			userId: ctx.userId,
			projectId,
			name
		});
		const problem = envVarNameProblem(name) ?? envVarValueProblem(value);
		if (problem) fail('INVALID_ARGUMENT', problem);
		await secretsKeys();
		const sealed = await ctx.runAction(internal.secretsCrypto.sealUnchecked, {
			plaintext: value,
			context: sealContext(projectId, name)
		});
		await ctx.runMutation(internal.appEnv.storeUnchecked, {
			projectId,
			ownerId: ctx.userId,
			name,
			...sealed
		});
		return null;
	}
});

/** Refuses before sealing: someone else's project, or one more variable than allowed. */
export const checkCanSetUnchecked = internalQuery({
	args: { userId: v.id('users'), projectId: v.id('projects'), name: v.string() },
	returns: v.null(),
	handler: async (ctx, { userId, projectId, name }) => {
		await getOwnedProject(ctx, userId, projectId);
		if (await findRow(ctx, projectId, name)) return null;
		const rows = await ctx.db
			.query('appEnvVars')
			.withIndex('by_projectId_and_name', (q) => q.eq('projectId', projectId))
			.take(APP_ENV_LIMITS.perProject);
		if (rows.length >= APP_ENV_LIMITS.perProject) {
			fail('TOO_MANY', `A project has at most ${APP_ENV_LIMITS.perProject} variables.`);
		}
		return null;
	}
});

/** Writes a sealed variable. Unchecked: `set` authorized and validated it. */
export const storeUnchecked = internalMutation({
	args: {
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		name: v.string(),
		ciphertext: v.string(),
		iv: v.string(),
		keyId: v.string()
	},
	returns: v.null(),
	handler: async (ctx, args) => {
		const row = { ...args, updatedAt: Date.now() };
		const existing = await findRow(ctx, args.projectId, args.name);
		if (existing) await ctx.db.replace(existing._id, row);
		else await ctx.db.insert('appEnvVars', row);
		return null;
	}
});

export const remove = userMutation({
	args: { projectId: v.id('projects'), name: v.string() },
	returns: v.boolean(),
	handler: async (ctx, { projectId, name }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const existing = await findRow(ctx, projectId, name);
		if (!existing) return false;
		await ctx.db.delete(existing._id);
		return true;
	}
});

/**
 * The variables in plaintext, for the deploy runner of the project's owner: the caller must be
 * the owner and hold the operator's DEPLOY_RUNNER_SECRET (which no browser has).
 */
export const forRunner = userAction({
	args: { projectId: v.id('projects'), runnerSecret: v.string() },
	returns: v.array(v.object({ name: v.string(), value: v.string() })),
	handler: async (ctx, { projectId, runnerSecret }): Promise<{ name: string; value: string }[]> => {
		// Someone else's project answers as missing, whatever secret they hold.
		const rows: { name: string; ciphertext: string; iv: string; keyId: string }[] =
			await ctx.runQuery(internal.appEnv.sealedForOwnerUnchecked, {
				userId: ctx.userId,
				projectId
			});
		checkRunnerSecret(runnerSecret);
		return await Promise.all(
			rows.map(async ({ name, ciphertext, iv, keyId }) => {
				const value: string = await ctx.runAction(internal.secretsCrypto.openUnchecked, {
					sealed: { ciphertext, iv, keyId },
					context: sealContext(projectId, name)
				});
				return { name, value };
			})
		);
	}
});

/** The sealed rows of an owned project. Unchecked: returns ciphertext. */
export const sealedForOwnerUnchecked = internalQuery({
	args: { userId: v.id('users'), projectId: v.id('projects') },
	returns: v.array(
		v.object({ name: v.string(), ciphertext: v.string(), iv: v.string(), keyId: v.string() })
	),
	handler: async (ctx, { userId, projectId }) => {
		await getOwnedProject(ctx, userId, projectId);
		const rows = await ctx.db
			.query('appEnvVars')
			.withIndex('by_projectId_and_name', (q) => q.eq('projectId', projectId))
			.take(APP_ENV_LIMITS.perProject);
		return rows.map(({ name, ciphertext, iv, keyId }) => ({ name, ciphertext, iv, keyId }));
	}
});
