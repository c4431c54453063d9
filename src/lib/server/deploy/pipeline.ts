// One deploy of a project's generated app, run in its local runtime's work dir: codegen and
// typecheck, push the backend, build the frontend against the pushed backend, upload the build
// to the deployment's static hosting. A failing step stops the deploy there (a failing
// typecheck before anything is pushed) and the reason, with the log, is what the person sees.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backendEnv, PROJECT_COMMANDS } from '../../preview/commands';
import { errorMessage } from '../../shared/errors';
import type { LocalProjectRuntime } from '../runtime/projectRuntime';
import type { DeployRecorder } from './recorder';
import type { DeployTarget } from './target';

const STEP_TIMEOUT_MS = 10 * 60_000;
const UPLOADER = 'node_modules/.bin/static-hosting';

class StepFailed extends Error {}

export async function runDeploy(
	runtime: LocalProjectRuntime,
	target: DeployTarget,
	recorder: DeployRecorder,
	/** The app's environment variables, read from the builder's backend as the runner. */
	appEnv: () => Promise<Record<string, string>>
): Promise<void> {
	const print = recorder.log;
	const run = async (command: string, failure: string, env?: Record<string, string>) => {
		const result = await runtime.exec(command, {
			timeoutMs: STEP_TIMEOUT_MS,
			env,
			onOutput: print
		});
		if (result.exitCode !== 0) throw new StepFailed(`${failure} (exit code ${result.exitCode}).`);
		return result.output;
	};
	try {
		print(`[deploy] to ${target.description}\n`);
		await recorder.step('checking');
		await run(PROJECT_COMMANDS.codegen, 'Convex codegen failed, so nothing was pushed');
		await run(PROJECT_COMMANDS.typecheck, 'The typecheck failed, so nothing was pushed');

		await recorder.step('pushing');
		const env = await appEnv();
		const names = Object.keys(env);
		if (names.length > 0) print(`[deploy] environment variables: ${names.join(', ')}\n`);
		const pushed = await target.push({
			workDir: runtime.workDir,
			env,
			print,
			run: async (command, failure, commandEnv) => void (await run(command, failure, commandEnv))
		});
		print(`[deploy] the backend is live at ${pushed.url}\n`);

		await recorder.step('building');
		await run(PROJECT_COMMANDS.build, 'The frontend build failed', backendEnv(pushed.url));
		const dist = builtSite(runtime.workDir);

		await recorder.step('uploading');
		if (!existsSync(join(runtime.workDir, UPLOADER))) {
			throw new StepFailed(
				'The app does not include @convex-dev/static-hosting, which serves its frontend: add it to package.json and mount it in convex/convex.config.ts.'
			);
		}
		const uploaded = await run(
			[UPLOADER, 'upload', '--dist', dist, ...pushed.uploadFlags].join(' '),
			'Uploading the frontend failed',
			pushed.cliEnv
		);
		// The uploader prints where the deployment serves the site; a target may know it before.
		const siteUrl = /available at:\s*(https?:\/\/\S+)/.exec(uploaded)?.[1] ?? pushed.siteUrl;
		if (!siteUrl)
			throw new StepFailed('The upload finished without saying where the app is served.');
		await recorder.step('succeeded', {
			url: `${siteUrl.replace(/\/+$/, '')}/`,
			backendUrl: pushed.url
		});
	} catch (error) {
		const reason =
			error instanceof StepFailed ? error.message : `The deploy stopped: ${errorMessage(error)}`;
		print(`[deploy] ${reason}\n`);
		await recorder.step('failed', { error: reason }).catch((e) => {
			console.error('[deploy] could not record the failure:', e);
		});
	}
}

/** The folder the build wrote the static site to: build/ (SvelteKit) or dist/ (Vite). */
function builtSite(workDir: string): string {
	for (const dir of ['build', 'dist']) {
		if (existsSync(join(workDir, dir, 'index.html'))) return dir;
	}
	throw new StepFailed(
		'The build wrote no index.html to build/ or dist/, so there is no site to upload.'
	);
}
