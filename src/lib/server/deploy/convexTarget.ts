// Deploying to a real Convex deployment: the person's (a deploy key or a self-hosted backend)
// or the one provisioned for the project through their team token. The credential comes from
// the builder's backend to this server only, and reaches the Convex CLI through its
// environment, never its command line.
import { createDeploymentClient } from '@convex-dev/platform';
import type { FunctionReturnType } from 'convex/server';
import type { api } from '$convex/_generated/api';
import { cliEnvFor, CONVEX_PUSH, type DeployTarget, type PushedBackend } from './target';

export type RunnerCredentials = FunctionReturnType<
	typeof api.convexConnection.credentialsForRunner
>;

export function convexTarget(credentials: () => Promise<RunnerCredentials>): DeployTarget {
	return {
		description: 'your Convex deployment',
		async push({ env, print, run }): Promise<PushedBackend> {
			const target = await credentials();
			print(`[deploy] deployment ${target.deploymentUrl}\n`);
			const cloud = target.kind === 'cloud';
			const key = cloud ? target.deployKey : target.adminKey;
			const cliEnv = cliEnvFor(
				cloud
					? { CONVEX_DEPLOY_KEY: target.deployKey }
					: {
							CONVEX_SELF_HOSTED_URL: target.deploymentUrl,
							CONVEX_SELF_HOSTED_ADMIN_KEY: target.adminKey
						}
			);
			if (Object.keys(env).length > 0) await setEnvironment(target.deploymentUrl, key, env);
			// The pipeline ran codegen and the typecheck already.
			await run(CONVEX_PUSH, 'Pushing the backend to Convex failed', cliEnv);
			return {
				url: target.deploymentUrl,
				siteUrl: cloud ? target.deploymentUrl.replace(/\.convex\.cloud$/, '.convex.site') : null,
				cliEnv,
				uploadFlags: cloud ? ['--prod'] : []
			};
		}
	};
}

/** Sets the app's variables on the deployment through its HTTP API, before the push. */
async function setEnvironment(deploymentUrl: string, key: string, env: Record<string, string>) {
	const client = createDeploymentClient(deploymentUrl, key);
	const { response } = await client.POST('/update_environment_variables', {
		body: { changes: Object.entries(env).map(([name, value]) => ({ name, value })) },
		signal: AbortSignal.timeout(20_000)
	});
	if (!response.ok) {
		throw new Error(
			`Convex did not take the app's environment variables (HTTP ${response.status}).`
		);
	}
}
