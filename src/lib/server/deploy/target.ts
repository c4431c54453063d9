// Where a deploy pushes the generated app's backend and uploads its frontend. The pipeline is
// the same for every target; only the push and the credentials the CLI gets differ.

export interface PushedBackend {
	/** The deployment's Convex URL, which the built frontend connects to. */
	url: string;
	/** Where the deployment serves HTTP, when known before the upload says so. */
	siteUrl: string | null;
	/** Environment through which the Convex CLI reaches this deployment as its admin. */
	cliEnv: Record<string, string>;
	/** Extra flags for the static-hosting upload (`--prod` for a cloud deployment). */
	uploadFlags: string[];
}

/** What a target's push may use: the work dir, and a runner of commands in it. */
export interface PushContext {
	workDir: string;
	/** The app's environment variables, to set on the deployment. */
	env: Record<string, string>;
	print: (text: string) => void;
	/** Runs a command in the work dir; throws a readable failure on a non-zero exit. */
	run(command: string, failure: string, env?: Record<string, string>): Promise<void>;
}

export interface DeployTarget {
	/** For the log: where this deploy goes. */
	description: string;
	/** Pushes the project's convex/ folder; resolves once the deployment serves it. */
	push(ctx: PushContext): Promise<PushedBackend>;
}

/**
 * Pushes the work dir's convex/ with the Convex CLI to the deployment its environment names
 * (cliEnvFor). The deploy pipeline and the preview runner ran codegen already, or need none.
 */
export const CONVEX_PUSH =
	'node_modules/.bin/convex deploy --yes --typecheck disable --codegen disable';

/**
 * The variables the Convex CLI reads to pick a deployment, all cleared but the ones given:
 * the builder's own deployment settings must never redirect a generated app's CLI.
 */
export function cliEnvFor(chosen: Record<string, string>): Record<string, string> {
	return {
		CONVEX_DEPLOYMENT: '',
		CONVEX_DEPLOY_KEY: '',
		CONVEX_SELF_HOSTED_URL: '',
		CONVEX_SELF_HOSTED_ADMIN_KEY: '',
		...chosen
	};
}
