// Who may drive a local runtime: for a project's, its signed-in owner (the browser sends its
// Convex token; the builder's backend answers whether that user owns the project); for a share
// view's, anyone holding a share link that still opens (read-only views run the shared files).
import { error } from '@sveltejs/kit';
import { ConvexHttpClient } from 'convex/browser';
import { env } from '$env/dynamic/public';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import { shareTokenOf } from '../../preview/runtimeIds';
import { runtimeConfig } from './config';

/** Answers recently given, so a save does not wait on a round trip to the backend. */
const granted = new Map<string, number>();
const GRANT_TTL_MS = 60_000;

export type RuntimeAccess = 'owner' | 'viewer';

export async function authorizeRuntime(
	request: Request,
	projectId: string
): Promise<RuntimeAccess> {
	if (!runtimeConfig().enabled) {
		error(404, 'The local runtime is not enabled on this server (set LOCAL_RUNTIME=1).');
	}
	const shareToken = shareTokenOf(projectId);
	if (shareToken) {
		await authorizeShare(shareToken);
		return 'viewer';
	}
	const token = bearerToken(request);
	if (!token) error(401, 'Sign in to run this project.');
	const key = `${projectId} ${token}`;
	if ((granted.get(key) ?? 0) > Date.now()) return 'owner';
	const client = backend(token);
	try {
		const project = await client.query(api.projects.get, {
			projectId: projectId as Id<'projects'>
		});
		if (!project) error(404, 'Project not found.');
	} catch {
		error(404, 'Project not found.');
	}
	grant(key);
	return 'owner';
}

async function authorizeShare(shareToken: string) {
	const key = `share ${shareToken}`;
	if ((granted.get(key) ?? 0) > Date.now()) return;
	try {
		await backend().query(api.shares.get, { token: shareToken });
	} catch {
		error(404, 'Link not found.');
	}
	grant(key);
}

/** A client of the builder's backend, acting as the holder of `token` when given. */
export function backend(token?: string) {
	if (!env.PUBLIC_CONVEX_URL) error(500, 'PUBLIC_CONVEX_URL is not set on the server.');
	const client = new ConvexHttpClient(env.PUBLIC_CONVEX_URL);
	if (token) client.setAuth(token);
	return client;
}

export function bearerToken(request: Request): string | null {
	return request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') || null;
}

function grant(key: string) {
	if (granted.size > 1_000) granted.clear();
	granted.set(key, Date.now() + GRANT_TTL_MS);
}
