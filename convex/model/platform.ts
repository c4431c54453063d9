// Convex's Platform (management) API, typed by @convex-dev/platform's OpenAPI types. Used with
// a person's team access token to provision a project and a deploy key per app. Every failure
// becomes one readable UPSTREAM error: the person sees what Convex said, never a stack trace.
import createClient from 'openapi-fetch';
import { createDeploymentClient } from '@convex-dev/platform';
import type { paths } from '@convex-dev/platform/managementApi';
import { fail } from '../errors';

/** Where the Platform API lives; CONVEX_PROVISION_HOST points elsewhere (tests, staging). */
function provisionHost(): string {
	return (process.env.CONVEX_PROVISION_HOST || 'https://api.convex.dev').replace(/\/+$/, '');
}

const TIMEOUT_MS = 20_000;

export function platformClient(accessToken: string) {
	return createClient<paths>({
		baseUrl: `${provisionHost()}/v1`,
		headers: { Authorization: `Bearer ${accessToken}`, 'Convex-Client': 'appbuilder' }
	});
}

/**
 * Where a Convex cloud deployment lives, by name. CONVEX_CLOUD_URL_PATTERN (tests) puts it
 * elsewhere: `{name}` in it is replaced by the deployment's name.
 */
export function cloudDeploymentUrl(deploymentName: string): string {
	const pattern = process.env.CONVEX_CLOUD_URL_PATTERN || 'https://{name}.convex.cloud';
	return pattern.replace('{name}', deploymentName);
}

/**
 * Checks that the deployment at `url` takes `key` (a deploy key or an admin key) by asking it
 * for its environment variables, the cheapest call that needs the key. Fails with what to do.
 */
export async function checkDeploymentKey(url: string, key: string, keyName: string) {
	const client = createDeploymentClient(url, key);
	let response: Response;
	try {
		({ response } = await client.GET('/list_environment_variables', {
			signal: AbortSignal.timeout(TIMEOUT_MS)
		}));
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		fail('UPSTREAM', `No Convex deployment answered at ${url}: ${reason}.`);
	}
	if (response.status === 401 || response.status === 403) {
		fail(
			'INVALID_ARGUMENT',
			`The deployment at ${url} refused that ${keyName} (HTTP ${response.status}); copy it again, whole.`
		);
	}
	if (!response.ok) {
		fail('UPSTREAM', `${url} answered HTTP ${response.status}; is it a Convex deployment's URL?`);
	}
}

/** Deletes a Convex project (with its deployments); whether Convex confirmed it. */
export async function deleteConvexProject(
	client: ReturnType<typeof platformClient>,
	convexProjectId: number
): Promise<boolean> {
	try {
		const { response } = await client.POST('/projects/{project_id}/delete', {
			params: { path: { project_id: convexProjectId } },
			signal: AbortSignal.timeout(TIMEOUT_MS)
		});
		return response.ok;
	} catch {
		return false;
	}
}

/** What a person reads when the Platform API answers `status` while the builder was `doing`. */
export function platformFailureMessage(doing: string, status: number, detail?: string): string {
	const said = detail ? ` Convex said: ${detail.slice(0, 300)}` : '';
	if (status === 401 || status === 403) {
		return `Convex refused the access token while ${doing} (HTTP ${status}). Connect Convex again in Settings with a valid team access token.${said}`;
	}
	if (status === 429) {
		return `Convex is rate limiting requests while ${doing} (HTTP 429). Wait a minute and try again.${said}`;
	}
	if (status >= 500) {
		return `Convex's API failed while ${doing} (HTTP ${status}). This is on Convex's side; try again later.${said}`;
	}
	return `Convex did not accept the request while ${doing} (HTTP ${status}).${said}`;
}

/**
 * Runs one Platform API call and returns its data, or fails with a readable UPSTREAM error
 * (a network failure or timeout included).
 */
export async function platformCall<T>(
	doing: string,
	call: (signal: AbortSignal) => Promise<{ data?: T; error?: unknown; response: Response }>
): Promise<T> {
	let result: Awaited<ReturnType<typeof call>>;
	try {
		result = await call(AbortSignal.timeout(TIMEOUT_MS));
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		fail('UPSTREAM', `Could not reach Convex's API while ${doing}: ${reason}.`);
	}
	if (result.data === undefined || !result.response.ok) {
		fail('UPSTREAM', platformFailureMessage(doing, result.response.status, detailOf(result.error)));
	}
	return result.data;
}

function detailOf(error: unknown): string | undefined {
	if (typeof error === 'string') return error;
	if (typeof error === 'object' && error !== null && 'message' in error) {
		return String((error as { message: unknown }).message);
	}
	return undefined;
}
