// The preview's backend for a person who connected Convex with a team token: the project's
// dev deployment on Convex (made by the builder's backend, convexConnection.ts). The runtime
// pushes the work dir's convex/ there with the Convex CLI when the app starts and whenever
// convex/ changes, so the preview runs the project's functions on real Convex, where its
// data also stays between runs.
import { cliEnvFor, CONVEX_PUSH } from '../deploy/target';
import { runToEnd } from './processes';

export interface DevDeployment {
	deploymentUrl: string;
	deployKey: string;
}

const PUSH_TIMEOUT_MS = 5 * 60_000;

/** Pushes `workDir`'s convex/ to the dev deployment; throws a readable failure. */
export async function pushToDevDeployment(
	workDir: string,
	dev: DevDeployment,
	onOutput: (text: string) => void
): Promise<void> {
	onOutput(`$ ${CONVEX_PUSH}\n`);
	const result = await runToEnd(CONVEX_PUSH, {
		cwd: workDir,
		timeoutMs: PUSH_TIMEOUT_MS,
		// The key reaches the CLI through its environment, never its command line.
		env: cliEnvFor({ CONVEX_DEPLOY_KEY: dev.deployKey }),
		onOutput
	});
	if (result.exitCode !== 0) {
		throw new Error(
			`Pushing convex/ to your Convex dev deployment failed (exit code ${result.exitCode}). See the log.`
		);
	}
}
