import type { Id } from '$convex/_generated/dataModel';
import type { PreviewSession } from '../preview/session.svelte';

/**
 * Asks the builder's server to deploy the project from its local runtime, once every saved
 * file has reached that runtime. Resolves with the new deployment's id.
 */
export async function startDeploy(
	preview: PreviewSession,
	projectId: string,
	target: 'offline' | 'convex'
) {
	await preview.flush();
	const token = await preview.token();
	const response = await fetch(`/api/deploy/${projectId}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: JSON.stringify({ target })
	});
	const body = (await response.json().catch(() => null)) as {
		deploymentId?: Id<'deployments'>;
		message?: string;
	} | null;
	if (!response.ok || !body?.deploymentId) {
		throw new Error(body?.message ?? `The deploy could not start (HTTP ${response.status}).`);
	}
	return body.deploymentId;
}
