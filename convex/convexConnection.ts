// A person's connection to Convex, for deploying generated apps to real deployments: saved
// write-only (sealed, like model keys; only the last four characters come back), validated
// when saved, and, for a team token, used to provision a Convex project per builder project.
import { ConvexError, v, type Infer } from 'convex/values';
import { api, internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import {
	internalMutation,
	internalQuery,
	type ActionCtx,
	type QueryCtx
} from './_generated/server';
import { fail } from './errors';
import { getOwnedProject, userAction, userMutation, userQuery } from './functions';
import { vConnectionKind } from './deploy/schema';
import { checkRunnerSecret } from './model/runnerSecret';
import { secretsKeys } from './model/secretBox';
import {
	checkDeploymentKey,
	cloudDeploymentUrl,
	deleteConvexProject,
	platformCall,
	platformClient
} from './model/platform';
import {
	connectionInputProblem,
	deploymentNameOfKey,
	normalizedBackendUrl,
	type ConnectionInput
} from '../src/lib/shared/convexConnection';
import type { AppErrorData } from '../src/lib/shared/errors';
import { last4Of } from '../src/lib/shared/providers';

const vSealed = { ciphertext: v.string(), iv: v.string(), keyId: v.string() };

async function findConnection(ctx: QueryCtx, userId: Id<'users'>) {
	return await ctx.db
		.query('convexConnections')
		.withIndex('by_userId', (q) => q.eq('userId', userId))
		.unique();
}

async function findTarget(ctx: QueryCtx, projectId: Id<'projects'>) {
	return await ctx.db
		.query('projectDeployTargets')
		.withIndex('by_projectId', (q) => q.eq('projectId', projectId))
		.unique();
}

function connectionContext(userId: Id<'users'>) {
	return `convexConnection:${userId}`;
}

function deployKeyContext(projectId: Id<'projects'>) {
	return `projectDeployTarget:${projectId}`;
}

function devKeyContext(projectId: Id<'projects'>) {
	return `projectDevDeployment:${projectId}`;
}

/** The caller's connection: its kind, where it points and the credential's last four. */
export const get = userQuery({
	args: {},
	returns: v.union(
		v.null(),
		v.object({
			kind: vConnectionKind,
			last4: v.string(),
			teamId: v.union(v.number(), v.null()),
			url: v.union(v.string(), v.null()),
			updatedAt: v.number()
		})
	),
	handler: async (ctx) => {
		const row = await findConnection(ctx, ctx.userId);
		if (!row) return null;
		return {
			kind: row.kind,
			last4: row.last4,
			teamId: row.teamId ?? null,
			url: row.url ?? null,
			updatedAt: row.updatedAt
		};
	}
});

/** Saves (replaces) the caller's connection once Convex has confirmed the credential. */
export const connect = userAction({
	args: { kind: vConnectionKind, credential: v.string(), url: v.optional(v.string()) },
	returns: v.null(),
	handler: async (ctx, args) => {
		const input = { ...args, credential: args.credential.trim(), url: args.url ?? '' };
		const problem = connectionInputProblem(input as ConnectionInput);
		if (problem) fail('INVALID_ARGUMENT', problem);
		if (input.kind !== 'selfHosted' && args.url !== undefined && args.url.trim() !== '') {
			fail('INVALID_ARGUMENT', 'Only a self-hosted backend takes a URL.');
		}
		let teamId: number | undefined;
		let url: string | undefined;
		if (input.kind === 'team') {
			const details = await platformCall('checking the access token', (signal) =>
				platformClient(input.credential).GET('/token_details', { signal })
			);
			if (details.type !== 'teamToken') {
				fail(
					'INVALID_ARGUMENT',
					'That token is not a team access token; create one under Team settings → Access tokens.'
				);
			}
			teamId = details.teamId;
		} else if (input.kind === 'deployKey') {
			url = cloudDeploymentUrl(deploymentNameOfKey(input.credential)!);
			await checkDeploymentKey(url, input.credential, 'deploy key');
		} else {
			url = normalizedBackendUrl(input.url)!;
			await checkDeploymentKey(url, input.credential, 'admin key');
		}
		await secretsKeys();
		const sealed = await ctx.runAction(internal.secretsCrypto.sealUnchecked, {
			plaintext: input.credential,
			context: connectionContext(ctx.userId)
		});
		await ctx.runMutation(internal.convexConnection.storeConnectionUnchecked, {
			userId: ctx.userId,
			kind: input.kind,
			...sealed,
			last4: last4Of(input.credential),
			teamId,
			url
		});
		return null;
	}
});

/** Writes a sealed connection. Unchecked: `connect` has authorized and validated it. */
export const storeConnectionUnchecked = internalMutation({
	args: {
		userId: v.id('users'),
		kind: vConnectionKind,
		...vSealed,
		last4: v.string(),
		teamId: v.optional(v.number()),
		url: v.optional(v.string())
	},
	returns: v.null(),
	handler: async (ctx, args) => {
		const row = { ...args, updatedAt: Date.now() };
		const existing = await findConnection(ctx, args.userId);
		if (existing) await ctx.db.replace(existing._id, row);
		else await ctx.db.insert('convexConnections', row);
		return null;
	}
});

/** Forgets the caller's connection; answers whether there was one. */
export const disconnect = userMutation({
	args: {},
	returns: v.boolean(),
	handler: async (ctx) => {
		const existing = await findConnection(ctx, ctx.userId);
		if (!existing) return false;
		await ctx.db.delete(existing._id);
		return true;
	}
});

/** The Convex deployment provisioned for a project, if any; never its deploy key. */
export const projectTarget = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.union(v.null(), v.object({ deploymentName: v.string(), deploymentUrl: v.string() })),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		const row = await findTarget(ctx, projectId);
		return row ? { deploymentName: row.deploymentName, deploymentUrl: row.deploymentUrl } : null;
	}
});

const vTarget = v.object({ deploymentName: v.string(), deploymentUrl: v.string() });
type Target = { deploymentName: string; deploymentUrl: string };

/**
 * Creates a Convex project with a production deployment for the builder project, and a deploy
 * key for it, through the Platform API with the caller's team token. Once per project: later
 * calls answer the deployment made the first time.
 */
export const provisionProject = userAction({
	args: { projectId: v.id('projects') },
	returns: vTarget,
	handler: async (ctx, { projectId }): Promise<Target> =>
		await ensureProvisioned(ctx, ctx.userId, projectId)
});

async function ensureProvisioned(
	ctx: Pick<ActionCtx, 'runQuery' | 'runAction' | 'runMutation'>,
	userId: Id<'users'>,
	projectId: Id<'projects'>
): Promise<Target> {
	const { name, existing, connection }: ProvisioningState = await ctx.runQuery(
		internal.convexConnection.provisioningStateUnchecked,
		{ userId, projectId }
	);
	if (existing) return existing;
	if (!connection || connection.kind !== 'team') {
		fail(
			'NOT_CONFIGURED',
			'Connect Convex with a team access token in Settings, so the builder can create a deployment for this app.'
		);
	}
	const token = await openCredential(ctx, connection, connectionContext(userId));
	const client = platformClient(token);
	const created = await platformCall('creating a Convex project', (signal) =>
		client.POST('/teams/{team_id}/create_project', {
			params: { path: { team_id: connection.teamId! } },
			body: { projectName: name, deploymentType: 'prod' },
			signal
		})
	);
	if (!created.deploymentName || !created.deploymentUrl) {
		fail('UPSTREAM', 'Convex created the project without a deployment; try again.');
	}
	const deploymentName = created.deploymentName;
	try {
		const { deployKey } = await platformCall('creating a deploy key', (signal) =>
			client.POST('/deployments/{deployment_name}/create_deploy_key', {
				params: { path: { deployment_name: deploymentName } },
				body: { name: 'appbuilder deploy' },
				signal
			})
		);
		const sealed = await ctx.runAction(internal.secretsCrypto.sealUnchecked, {
			plaintext: deployKey,
			context: deployKeyContext(projectId)
		});
		await ctx.runMutation(internal.convexConnection.storeTargetUnchecked, {
			projectId,
			ownerId: userId,
			convexProjectId: created.id,
			deploymentName,
			deploymentUrl: created.deploymentUrl,
			...sealed
		});
	} catch (error) {
		// Nothing here records the project just made, so a retry would make another: remove it.
		if (await deleteConvexProject(client, created.id)) throw error;
		const reason = error instanceof ConvexError ? (error.data as AppErrorData).message : '';
		fail(
			'UPSTREAM',
			`${reason || 'Provisioning failed.'} The Convex project "${created.slug}" made for this app could not be removed again; delete it in the Convex dashboard.`
		);
	}
	return { deploymentName, deploymentUrl: created.deploymentUrl };
}

/** Where a deploy to Convex goes and the credential the Convex CLI needs to get there. */
const vRunnerCredentials = v.union(
	v.object({ kind: v.literal('cloud'), deploymentUrl: v.string(), deployKey: v.string() }),
	v.object({ kind: v.literal('selfHosted'), deploymentUrl: v.string(), adminKey: v.string() })
);
type RunnerCredentials = Infer<typeof vRunnerCredentials>;

/**
 * The credential a deploy of the project to Convex needs, in plaintext, for the deploy runner
 * of its owner only (it must hold the operator's DEPLOY_RUNNER_SECRET, which no browser has).
 * With a team connection, the project's deployment is provisioned on first use.
 */
export const credentialsForRunner = userAction({
	args: { projectId: v.id('projects'), runnerSecret: v.string() },
	returns: vRunnerCredentials,
	handler: async (ctx, { projectId, runnerSecret }): Promise<RunnerCredentials> => {
		// Someone else's project answers as missing, whatever secret they hold.
		const state: ProvisioningState = await ctx.runQuery(
			internal.convexConnection.provisioningStateUnchecked,
			{ userId: ctx.userId, projectId }
		);
		checkRunnerSecret(runnerSecret);
		const connection = state.connection;
		if (!connection) {
			fail('NOT_CONFIGURED', 'Connect Convex in Settings to deploy to your own deployment.');
		}
		if (connection.kind === 'team') {
			const target = await ensureProvisioned(ctx, ctx.userId, projectId);
			const sealed: { ciphertext: string; iv: string; keyId: string } | null = await ctx.runQuery(
				internal.convexConnection.sealedDeployKeyUnchecked,
				{ projectId }
			);
			if (!sealed) fail('NOT_FOUND', 'The project’s deployment has no deploy key.');
			return {
				kind: 'cloud',
				deploymentUrl: target.deploymentUrl,
				deployKey: await openCredential(ctx, sealed, deployKeyContext(projectId))
			};
		}
		const credential = await openCredential(ctx, connection, connectionContext(ctx.userId));
		return connection.kind === 'deployKey'
			? { kind: 'cloud', deploymentUrl: connection.url!, deployKey: credential }
			: { kind: 'selfHosted', deploymentUrl: connection.url!, adminKey: credential };
	}
});

/**
 * The backend the project's preview uses, for the preview runner of its owner only: with a
 * team connection, the project's dev deployment (made in its Convex project on first use)
 * and a deploy key for it; otherwise null, and the preview keeps its local in-memory backend
 * (a deploy key or a self-hosted backend is one deployment, which previews must not change).
 */
export const previewBackendForRunner = userAction({
	args: { projectId: v.id('projects'), runnerSecret: v.string() },
	returns: v.union(v.null(), v.object({ deploymentUrl: v.string(), deployKey: v.string() })),
	handler: async (
		ctx,
		{ projectId, runnerSecret }
	): Promise<{ deploymentUrl: string; deployKey: string } | null> => {
		const state: ProvisioningState = await ctx.runQuery(
			internal.convexConnection.provisioningStateUnchecked,
			{ userId: ctx.userId, projectId }
		);
		checkRunnerSecret(runnerSecret);
		const connection = state.connection;
		if (connection?.kind !== 'team') return null;
		const sealedDev = await ctx.runQuery(internal.convexConnection.devDeploymentUnchecked, {
			projectId
		});
		if (sealedDev) {
			return {
				deploymentUrl: sealedDev.deploymentUrl,
				deployKey: await openCredential(ctx, sealedDev, devKeyContext(projectId))
			};
		}
		await ensureProvisioned(ctx, ctx.userId, projectId);
		const convexProjectId: number = await ctx.runQuery(
			internal.convexConnection.convexProjectIdUnchecked,
			{ projectId }
		);
		const client = platformClient(
			await openCredential(ctx, connection, connectionContext(ctx.userId))
		);
		const created = await platformCall('creating a dev deployment', (signal) =>
			client.POST('/projects/{project_id}/create_deployment', {
				params: { path: { project_id: convexProjectId } },
				body: { type: 'dev', reference: 'appbuilder-preview' },
				signal
			})
		);
		if (!('deploymentUrl' in created)) {
			fail('UPSTREAM', 'Convex made a local deployment where a cloud one was asked for.');
		}
		const { deployKey } = await platformCall('creating a dev deploy key', (signal) =>
			client.POST('/deployments/{deployment_name}/create_deploy_key', {
				params: { path: { deployment_name: created.name } },
				body: { name: 'appbuilder preview' },
				signal
			})
		);
		const sealed = await ctx.runAction(internal.secretsCrypto.sealUnchecked, {
			plaintext: deployKey,
			context: devKeyContext(projectId)
		});
		const stored: { deploymentUrl: string } = await ctx.runMutation(
			internal.convexConnection.storeDevDeploymentUnchecked,
			{ projectId, deploymentName: created.name, deploymentUrl: created.deploymentUrl, ...sealed }
		);
		// Two previews raced: the first one's deployment is the project's.
		if (stored.deploymentUrl !== created.deploymentUrl) {
			return await ctx.runAction(api.convexConnection.previewBackendForRunner, {
				projectId,
				runnerSecret
			});
		}
		return { deploymentUrl: created.deploymentUrl, deployKey };
	}
});

/** The project's dev deployment with its sealed key. Unchecked: returns ciphertext. */
export const devDeploymentUnchecked = internalQuery({
	args: { projectId: v.id('projects') },
	returns: v.union(v.null(), v.object({ deploymentUrl: v.string(), ...vSealed })),
	handler: async (ctx, { projectId }) => {
		const dev = (await findTarget(ctx, projectId))?.dev;
		return dev
			? {
					deploymentUrl: dev.deploymentUrl,
					ciphertext: dev.ciphertext,
					iv: dev.iv,
					keyId: dev.keyId
				}
			: null;
	}
});

/** The provisioned Convex project's id. Unchecked: the caller provisioned it just now. */
export const convexProjectIdUnchecked = internalQuery({
	args: { projectId: v.id('projects') },
	returns: v.number(),
	handler: async (ctx, { projectId }) => {
		const target = await findTarget(ctx, projectId);
		if (!target) fail('NOT_FOUND', 'The project has no Convex project yet.');
		return target.convexProjectId;
	}
});

/** Records the dev deployment, unless one is already; answers the one that stays. */
export const storeDevDeploymentUnchecked = internalMutation({
	args: {
		projectId: v.id('projects'),
		deploymentName: v.string(),
		deploymentUrl: v.string(),
		...vSealed
	},
	returns: v.object({ deploymentUrl: v.string() }),
	handler: async (ctx, { projectId, ...dev }) => {
		const target = await findTarget(ctx, projectId);
		if (!target) fail('NOT_FOUND', 'The project has no Convex project yet.');
		if (target.dev) return { deploymentUrl: target.dev.deploymentUrl };
		await ctx.db.patch(target._id, { dev, updatedAt: Date.now() });
		return { deploymentUrl: dev.deploymentUrl };
	}
});

/** A provisioned project's sealed deploy key. Unchecked: returns ciphertext. */
export const sealedDeployKeyUnchecked = internalQuery({
	args: { projectId: v.id('projects') },
	returns: v.union(v.null(), v.object(vSealed)),
	handler: async (ctx, { projectId }) => {
		const row = await findTarget(ctx, projectId);
		return row ? { ciphertext: row.ciphertext, iv: row.iv, keyId: row.keyId } : null;
	}
});

async function openCredential(
	ctx: Pick<ActionCtx, 'runAction'>,
	sealed: { ciphertext: string; iv: string; keyId: string },
	context: string
) {
	return await ctx.runAction(internal.secretsCrypto.openUnchecked, {
		sealed: { ciphertext: sealed.ciphertext, iv: sealed.iv, keyId: sealed.keyId },
		context
	});
}

interface ProvisioningState {
	name: string;
	existing: { deploymentName: string; deploymentUrl: string } | null;
	connection: {
		kind: 'team' | 'deployKey' | 'selfHosted';
		teamId: number | null;
		url: string | null;
		ciphertext: string;
		iv: string;
		keyId: string;
	} | null;
}

/**
 * What provisioning needs: the project's name (if the caller owns it), a deployment made
 * before, and the caller's sealed connection. Unchecked: returns sealed credentials.
 */
export const provisioningStateUnchecked = internalQuery({
	args: { userId: v.id('users'), projectId: v.id('projects') },
	returns: v.object({
		name: v.string(),
		existing: v.union(
			v.null(),
			v.object({ deploymentName: v.string(), deploymentUrl: v.string() })
		),
		connection: v.union(
			v.null(),
			v.object({
				kind: vConnectionKind,
				teamId: v.union(v.number(), v.null()),
				url: v.union(v.string(), v.null()),
				...vSealed
			})
		)
	}),
	handler: async (ctx, { userId, projectId }) => {
		const project = await getOwnedProject(ctx, userId, projectId);
		const target = await findTarget(ctx, projectId);
		const connection = await findConnection(ctx, userId);
		return {
			name: project.name,
			existing: target
				? { deploymentName: target.deploymentName, deploymentUrl: target.deploymentUrl }
				: null,
			connection: connection
				? {
						kind: connection.kind,
						teamId: connection.teamId ?? null,
						url: connection.url ?? null,
						ciphertext: connection.ciphertext,
						iv: connection.iv,
						keyId: connection.keyId
					}
				: null
		};
	}
});

/** Writes a provisioned deployment. Unchecked: `provisionProject` authorized it. */
export const storeTargetUnchecked = internalMutation({
	args: {
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		convexProjectId: v.number(),
		deploymentName: v.string(),
		deploymentUrl: v.string(),
		...vSealed
	},
	returns: v.null(),
	handler: async (ctx, args) => {
		const existing = await findTarget(ctx, args.projectId);
		// Two provisioning calls raced: the first one's deployment stays the project's.
		if (existing) return null;
		await ctx.db.insert('projectDeployTargets', { ...args, updatedAt: Date.now() });
		return null;
	}
});
