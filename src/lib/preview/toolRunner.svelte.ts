// The workbench's side of the agent's runtime tools (convex/runtimeCalls.ts): watches the
// project's open calls, claims each one this tab can run (another tab may win the claim), runs
// it in the preview runtime and submits the result. Files the tool produced (codegen output,
// updated manifests) go back to the project with the result.
import type { ConvexClient } from 'convex/browser';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import {
	isRuntimeTool,
	resultTail,
	runtimeToolInputs,
	type Check,
	type RuntimeToolInput
} from '$lib/shared/runtimeTools';
import { stripAnsi } from './ansi';
import { addPackagesCommand, PROJECT_COMMANDS } from './commands';
import type { PreviewSession } from './session.svelte';

/** What `convex codegen` writes; read back after it ran. */
const GENERATED_FILES = ['api.d.ts', 'api.js', 'dataModel.d.ts', 'server.d.ts', 'server.js'].map(
	(name) => `convex/_generated/${name}`
);
const MANIFESTS = ['package.json', 'package-lock.json'];
/** Output kept per check in a result (its end, where the summary and errors are). */
const CHECK_OUTPUT_CHARS = 5_000;
const LOG_TAIL_CHARS = 4_000;
const CHECK_TIMEOUT_MS = 5 * 60_000;

type OpenCall = { _id: Id<'runtimeCalls'>; toolName: string; input: unknown; status: string };
type Outcome = { isError: boolean; output: string; files?: { path: string; content: string }[] };

export class RuntimeToolRunner {
	#open = $state.raw<OpenCall[]>([]);
	#tried = new Set<string>();
	#busy = false;
	#stop: () => void;

	constructor(
		readonly client: ConvexClient,
		readonly session: PreviewSession,
		readonly projectId: Id<'projects'>
	) {
		const unsubscribe = client.onUpdate(api.runtimeCalls.open, { projectId }, (calls) => {
			this.#open = calls;
		});
		const stopEffects = $effect.root(() => {
			$effect(() => {
				// Runs again when calls arrive or the runtime becomes able to run them.
				if (this.#open.length > 0 && this.session.canRunCommands) void this.#next();
			});
		});
		this.#stop = () => {
			unsubscribe();
			stopEffects();
		};
	}

	dispose() {
		this.#stop();
	}

	/** One call at a time: checks and installs share the one project directory. */
	async #next() {
		if (this.#busy) return;
		const call = this.#open.find((c) => c.status === 'pending' && !this.#tried.has(c._id));
		if (!call) return;
		this.#busy = true;
		this.#tried.add(call._id);
		try {
			if (await this.client.mutation(api.runtimeCalls.claim, { callId: call._id })) {
				const outcome = await this.#run(call).catch((error): Outcome => ({
					isError: true,
					output: `The workbench could not run ${call.toolName}: ${error instanceof Error ? error.message : error}`
				}));
				await this.client.mutation(api.runtimeCalls.submit, { callId: call._id, ...outcome });
			}
		} catch (error) {
			// The call expired or was cancelled meanwhile; the server has already answered it.
			console.warn('runtime tool call', call._id, error);
		} finally {
			this.#busy = false;
		}
		void this.#next();
	}

	async #run(call: OpenCall): Promise<Outcome> {
		if (!isRuntimeTool(call.toolName)) {
			return { isError: true, output: `${call.toolName} is not a runtime tool.` };
		}
		const parsed = runtimeToolInputs[call.toolName].safeParse(call.input);
		if (!parsed.success) {
			return { isError: true, output: `Invalid input: ${parsed.error.issues[0]?.message}` };
		}
		await this.session.flush();
		switch (call.toolName) {
			case 'run_checks':
				return this.#runChecks(parsed.data as RuntimeToolInput<'run_checks'>);
			case 'install_packages':
				return this.#installPackages(parsed.data as RuntimeToolInput<'install_packages'>);
			case 'read_preview_logs':
				return this.#readLogs();
		}
	}

	async #runChecks({ checks = ['codegen', 'typecheck'] }: { checks?: Check[] }): Promise<Outcome> {
		const runtime = this.#runtime();
		const sections: string[] = [];
		let files: Outcome['files'] = [];
		for (const check of checks) {
			const result = await runtime.exec(PROJECT_COMMANDS[check], { timeoutMs: CHECK_TIMEOUT_MS });
			const passed = result.exitCode === 0;
			const output = stripAnsi(result.output).trim();
			sections.push(
				`## ${check}: ${passed ? 'passed' : `FAILED (exit code ${result.exitCode})`}\n` +
					resultTail(output, passed ? 500 : CHECK_OUTPUT_CHARS)
			);
			if (check === 'codegen' && passed) files = await this.#changedFiles(GENERATED_FILES);
		}
		return { isError: false, output: sections.join('\n\n'), files };
	}

	async #installPackages({
		packages,
		dev = false
	}: {
		packages: string[];
		dev?: boolean;
	}): Promise<Outcome> {
		const runtime = this.#runtime();
		const added = await runtime.exec(addPackagesCommand(packages, dev), {
			timeoutMs: CHECK_TIMEOUT_MS
		});
		const output = resultTail(stripAnsi(added.output).trim(), CHECK_OUTPUT_CHARS);
		if (added.exitCode !== 0) {
			return { isError: true, output: `npm could not add ${packages.join(', ')}:\n${output}` };
		}
		const files = await this.#changedFiles(MANIFESTS);
		const wasRunning = this.session.status.phase === 'ready';
		await runtime.install();
		// The dev server picks up new dependencies on a restart.
		if (wasRunning) await this.session.restart();
		return {
			isError: false,
			output: `Added ${packages.join(', ')}${dev ? ' as devDependencies' : ''}; the preview installed them.`,
			files
		};
	}

	#readLogs(): Outcome {
		const errors = this.session.errors;
		const listed =
			errors.length === 0
				? 'The preview reported no errors.'
				: `Errors the preview reported (oldest first):\n${errors
						.map((e) => `- [${e.kind}] ${e.message}${e.source ? ` (${e.source})` : ''}`)
						.join('\n')}`;
		const log = resultTail(stripAnsi(this.session.log).trim(), LOG_TAIL_CHARS);
		return { isError: false, output: `${listed}\n\nEnd of the dev server log:\n${log}` };
	}

	/** The files among `paths` whose content in the runtime differs from the project's. */
	async #changedFiles(paths: string[]) {
		const contents = await this.#runtime().readFiles(paths);
		const saved = new Map((this.session.workspace.files ?? []).map((f) => [f.path, f.hash]));
		const savedText = await this.session.workspace.load(
			paths.flatMap((p) => (saved.has(p) ? [saved.get(p)!] : []))
		);
		return paths.flatMap((path, i) => {
			const content = contents[i];
			if (content === null) return [];
			const hash = saved.get(path);
			return hash !== undefined && savedText.get(hash) === content ? [] : [{ path, content }];
		});
	}

	#runtime() {
		const runtime = this.session.runtime;
		if (!runtime) throw new Error('The preview runtime is not running.');
		return runtime;
	}
}
