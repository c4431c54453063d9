// Where a deploy pushes the generated app's backend and uploads its frontend. The pipeline is
// the same for every target; only the push and the credentials the CLI gets differ.

export interface PushedBackend {
	/** The deployment's Convex URL, which the built frontend connects to. */
	url: string;
	/** Where the deployment serves HTTP, and so the uploaded frontend. */
	siteUrl: string;
	/** Environment through which the Convex CLI reaches this deployment as its admin. */
	cliEnv: Record<string, string>;
}

export interface DeployTarget {
	kind: 'offline';
	/** For the log: where this deploy goes. */
	description: string;
	/**
	 * Pushes the project's convex/ folder with the app's environment variables set; resolves
	 * once the deployment serves it.
	 */
	push(
		workDir: string,
		env: Record<string, string>,
		print: (text: string) => void
	): Promise<PushedBackend>;
}
