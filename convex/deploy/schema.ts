// Tables for deploying a project's generated app; spread into convex/schema.ts.
import { defineTable } from 'convex/server';
import { v } from 'convex/values';

export const vDeployStatus = v.union(
	v.literal('queued'),
	v.literal('checking'),
	v.literal('pushing'),
	v.literal('building'),
	v.literal('uploading'),
	v.literal('succeeded'),
	v.literal('failed')
);

/**
 * Where a deployment goes. `offline`: an in-memory Convex emulator on the builder's server,
 * for tests and the offline demo (its data is lost when the builder stops). `convex`: the
 * person's Convex connection (convexConnections).
 */
export const vDeployTarget = v.union(v.literal('offline'), v.literal('convex'));

export const vConnectionKind = v.union(
	v.literal('team'),
	v.literal('deployKey'),
	v.literal('selfHosted')
);

export const deployTables = {
	// One per click on Deploy. `status` follows canAdvance in src/lib/shared/deploy.ts; at most
	// one deployment per project is active at a time. `url` is set once it succeeded.
	deployments: defineTable({
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		target: vDeployTarget,
		status: vDeployStatus,
		/** The checkpoint the project was at when the deploy started (its head). */
		checkpointSeq: v.number(),
		url: v.optional(v.string()),
		backendUrl: v.optional(v.string()),
		error: v.optional(v.string()),
		/** The step that failed, for the UI and the fix prompt. */
		failedStep: v.optional(v.string()),
		logChunks: v.number(),
		updatedAt: v.number(),
		finishedAt: v.optional(v.number())
	})
		.index('by_projectId', ['projectId'])
		.index('by_projectId_and_status', ['projectId', 'status']),

	// A person's Convex connection (at most one per user): a team access token (the builder then
	// provisions a Convex project per app through the Platform API), a deploy key for one existing
	// deployment, or a self-hosted backend's URL with its admin key. The credential is only ever
	// stored sealed (convex/secretsCrypto.ts); no public function returns it, only `last4`.
	convexConnections: defineTable({
		userId: v.id('users'),
		kind: vConnectionKind,
		ciphertext: v.string(),
		iv: v.string(),
		keyId: v.string(),
		last4: v.string(),
		/** The team a team token belongs to (from the Platform API's token details). */
		teamId: v.optional(v.number()),
		/** The deployment's URL: a self-hosted backend's, or the one a deploy key names. */
		url: v.optional(v.string()),
		updatedAt: v.number()
	}).index('by_userId', ['userId']),

	// The Convex project and production deployment provisioned for one builder project, with
	// the deploy key the builder made for it, sealed like every credential. One per project.
	projectDeployTargets: defineTable({
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		convexProjectId: v.number(),
		deploymentName: v.string(),
		deploymentUrl: v.string(),
		ciphertext: v.string(),
		iv: v.string(),
		keyId: v.string(),
		/** The project's dev deployment, the preview's backend, and its sealed deploy key. */
		dev: v.optional(
			v.object({
				deploymentName: v.string(),
				deploymentUrl: v.string(),
				ciphertext: v.string(),
				iv: v.string(),
				keyId: v.string()
			})
		),
		updatedAt: v.number()
	}).index('by_projectId', ['projectId']),

	// A generated app's environment variable, set on its deployment at each deploy. Write-only:
	// the value is stored sealed, and only the deploy runner (which proves the operator's
	// DEPLOY_RUNNER_SECRET) gets it back in plaintext. At most one row per (project, name).
	appEnvVars: defineTable({
		projectId: v.id('projects'),
		ownerId: v.id('users'),
		name: v.string(),
		ciphertext: v.string(),
		iv: v.string(),
		keyId: v.string(),
		updatedAt: v.number()
	}).index('by_projectId_and_name', ['projectId', 'name']),

	// A deployment's log, in order of `seq` (0, 1, ...); at most DEPLOY_LIMITS.logChunksPerDeployment.
	deploymentLogs: defineTable({
		deploymentId: v.id('deployments'),
		seq: v.number(),
		text: v.string()
	}).index('by_deploymentId_and_seq', ['deploymentId', 'seq'])
};
