// Who may drive a project's local runtime: the signed-in owner of the project. The browser
// sends its Convex token; the builder's backend answers whether that user owns the project.
import { error } from '@sveltejs/kit';
import { ConvexHttpClient } from 'convex/browser';
import { env } from '$env/dynamic/public';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import { runtimeConfig } from './config';

/** Answers recently given, so a save does not wait on a round trip to the backend. */
const granted = new Map<string, number>();
const GRANT_TTL_MS = 60_000;

export async function authorizeRuntime(request: Request, projectId: string) {
	if (!runtimeConfig().enabled) {
		error(404, 'The local runtime is not enabled on this server (set LOCAL_RUNTIME=1).');
	}
	const token = request.headers.get('authorization')?.replace(/^Bearer\s+/i, '');
	if (!token) error(401, 'Sign in to run this project.');
	const key = `${projectId} ${token}`;
	if ((granted.get(key) ?? 0) > Date.now()) return;
	if (!env.PUBLIC_CONVEX_URL) error(500, 'PUBLIC_CONVEX_URL is not set on the server.');
	const client = new ConvexHttpClient(env.PUBLIC_CONVEX_URL);
	client.setAuth(token);
	try {
		const project = await client.query(api.projects.get, {
			projectId: projectId as Id<'projects'>
		});
		if (!project) error(404, 'Project not found.');
	} catch {
		error(404, 'Project not found.');
	}
	if (granted.size > 1_000) granted.clear();
	granted.set(key, Date.now() + GRANT_TTL_MS);
}
