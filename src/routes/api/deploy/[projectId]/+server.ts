// POST starts a deploy of the project from its local runtime's work dir (the files the open
// workbench keeps there) and answers with the deployment's id at once; the pipeline reports
// its progress to the builder's backend, where the deploy panel reads it.
import { error, json } from '@sveltejs/kit';
import type { ConvexHttpClient } from 'convex/browser';
import { env } from '$env/dynamic/private';
import type { Id } from '$convex/_generated/dataModel';
import { api } from '$convex/_generated/api';
import { errorMessage } from '$lib/shared/errors';
import { z } from 'zod';
import { convexTarget } from '$lib/server/deploy/convexTarget';
import { offlineTarget } from '$lib/server/deploy/offlineTarget';
import { runDeploy } from '$lib/server/deploy/pipeline';
import { DeployRecorder } from '$lib/server/deploy/recorder';
import { authorizeRuntime, backend, bearerToken } from '$lib/server/runtime/access';
import { runtimeConfig } from '$lib/server/runtime/config';
import { findRuntime } from '$lib/server/runtime/registry';
import type { RequestHandler } from './$types';

const vBody = z.object({ target: z.enum(['offline', 'convex']).default('offline') });

/** The app's variables in plaintext: only this server, holding the runner secret, gets them. */
async function appEnvFor(
	client: ConvexHttpClient,
	projectId: Id<'projects'>,
	runnerSecret: string
) {
	const names = await client.query(api.appEnv.list, { projectId });
	if (names.length === 0) return {};
	const vars = await client.action(api.appEnv.forRunner, { projectId, runnerSecret });
	return Object.fromEntries(vars.map(({ name, value }) => [name, value]));
}

export const POST: RequestHandler = async ({ params, request }) => {
	const access = await authorizeRuntime(request, params.projectId);
	if (access !== 'owner') error(403, 'Only the project’s owner can deploy it.');
	const runtime = findRuntime(params.projectId);
	if (!runtime?.mounted) {
		error(
			409,
			'Deploying runs from the project’s preview: open the preview in the local runtime, then deploy.'
		);
	}
	const body = vBody.safeParse(await request.json().catch(() => ({})));
	if (!body.success) error(400, 'Say where to deploy: "offline" or "convex".');
	const projectId = params.projectId as Id<'projects'>;
	const client = backend(bearerToken(request)!);
	const runnerSecret = env.DEPLOY_RUNNER_SECRET ?? '';
	let deploymentId: Id<'deployments'>;
	try {
		deploymentId = await client.mutation(api.deployments.start, {
			projectId,
			target: body.data.target
		});
	} catch (e) {
		error(409, errorMessage(e));
	}
	const target =
		body.data.target === 'offline'
			? offlineTarget(runtimeConfig().root, params.projectId)
			: convexTarget(() =>
					client.action(api.convexConnection.credentialsForRunner, { projectId, runnerSecret })
				);
	// Runs on after this answer; the deploy panel follows it through the backend.
	void runDeploy(runtime, target, new DeployRecorder(client, deploymentId), () =>
		appEnvFor(client, projectId, runnerSecret)
	);
	return json({ deploymentId });
};
