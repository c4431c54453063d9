// One project's local runtime: its work dir, its dependencies, its generated backend, its dev
// server and the proxy in front of it. File writes and lifecycle steps go through one serial
// queue, so a save never overtakes the mount before it and a restart never races a start.
import { join } from 'node:path';
import type {
	CommandResult,
	FileChange,
	FileHash,
	FileWrite,
	PreviewError,
	RuntimeEvent,
	RuntimeStatus
} from '$lib/preview/runtime';
import { backendEnv, devServerArgs } from '../../preview/commands';
import {
	canRunAppBackend,
	prepareWarmBackend,
	startAppBackend,
	type AppBackend
} from './appBackend';
import type { RuntimeConfig } from './config';
import {
	cacheDirFor,
	dependencyKey,
	installDependencies,
	linkedDependencyKey,
	MANIFESTS
} from './deps';
import { pushToDevDeployment, type DevDeployment } from './devDeployment';
import { npmScript } from './npmScript';
import { freePort, waitForHttp } from './ports';
import { startPreviewProxy, type PreviewProxy } from './previewProxy';
import { runToEnd, spawnShell, type RunningProcess } from './processes';
import { prepareWarmVite, takeWarmVite, viteDevArgs } from './warmVite';
import { applyChanges, holdsExactly, mountFiles, readTexts } from './workdir';

/** The log kept for a browser that connects later (the tail of everything printed). */
const LOG_KEEP_CHARS = 200_000;
const BACKEND_RESTART_DELAY_MS = 300;
const WARM_PROCESS_DELAY_MS = 5_000;

interface Ports {
	dev: number;
	proxy: number;
	api: number;
	site: number;
}

export class LocalProjectRuntime {
	status: RuntimeStatus = { phase: 'idle' };
	lastUsed = Date.now();
	#log = '';
	#listeners = new Set<(event: RuntimeEvent) => void>();
	#queue: Promise<unknown> = Promise.resolve();
	#installedKey: string | null = null;
	#ports: Ports | null = null;
	#dev: RunningProcess | null = null;
	#backend: AppBackend | null = null;
	/** Where the next start runs the app's backend: a dev deployment, or (null) locally. */
	#devDeployment: DevDeployment | null = null;
	/** The dev deployment the running app's backend is, which convex/ changes are pushed to. */
	#pushedTo: DevDeployment | null = null;
	#proxy: PreviewProxy | null = null;
	#backendRestart: ReturnType<typeof setTimeout> | null = null;
	#stopping = false;
	#mounted = false;

	constructor(
		readonly projectId: string,
		readonly workDir: string,
		readonly config: RuntimeConfig
	) {}

	get listenerCount() {
		return this.#listeners.size;
	}

	get running() {
		return this.#dev !== null;
	}

	/** Whether a browser has written the project's files here (a deploy needs them). */
	get mounted() {
		return this.#mounted;
	}

	/** The status and the log so far, for a browser that just connected. */
	snapshot() {
		return { status: this.status, log: this.#log };
	}

	on(listener: (event: RuntimeEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/**
	 * Chooses the app's backend for the next start: the project's dev deployment on Convex, or
	 * null for the local in-memory emulator (`why` says why, in the log).
	 */
	useDevDeployment(dev: DevDeployment | null, why?: string) {
		this.#devDeployment = dev;
		if (why) this.#print(`[runtime] ${why}\n`);
	}

	/** Writes the project's files; resolves with the status after, so a reattaching browser
	 * knows at once whether the app is already running. */
	mount(files: FileWrite[]) {
		return this.#serial(async () => {
			const written = await mountFiles(this.workDir, files);
			this.#mounted = true;
			this.#print(`[runtime] ${files.length} files, ${written} written\n`);
			if (written > 0 && this.#backendRuns()) this.#restartBackendSoon();
			return this.status;
		});
	}

	apply(changes: FileChange[]) {
		return this.#serial(async () => {
			await applyChanges(this.workDir, changes);
			const paths = changes.map((c) => c.path);
			if (paths.some((p) => MANIFESTS.includes(p)) && this.running) {
				this.#print('[runtime] package.json changed; install again to pick up new dependencies\n');
			}
			if (paths.some((p) => p.startsWith('convex/')) && this.#backendRuns()) {
				this.#restartBackendSoon();
			}
		});
	}

	/** Installs dependencies unless the work dir already has these (a reopened project). */
	install() {
		return this.#serial(async () => {
			if (this.#installedKey === (await dependencyKey(this.workDir))) return;
			await this.#install();
		});
	}

	/** Starts (or restarts) the app: backend, dev server, proxy. Resolves with the preview URL. */
	start() {
		return this.#serial(() => this.#start());
	}

	/**
	 * Runs the app straight from the work dir when it holds exactly `files` and their
	 * dependencies are linked, as a project reopened after an idle shutdown finds it; a running
	 * app keeps running. Null when the browser must mount and install first.
	 */
	resume(files: FileHash[]) {
		return this.#serial(async () => {
			if (!(await holdsExactly(this.workDir, files))) return null;
			const linked = await linkedDependencyKey(this.workDir);
			if (!linked) return null;
			this.#mounted = true;
			this.#installedKey = linked;
			this.#print(`[runtime] ${files.length} files already here, dependencies linked\n`);
			if (this.status.phase === 'ready' && this.running) return this.status.url;
			return await this.#start();
		});
	}

	async #start(): Promise<string> {
		await this.#stopProcesses();
		if (this.#installedKey !== (await dependencyKey(this.workDir))) await this.#install();
		this.#setStatus({ phase: 'starting' });
		try {
			const url = await this.#startProcesses();
			this.#setStatus({ phase: 'ready', url });
			return url;
		} catch (error) {
			await this.#stopProcesses();
			const reason = error instanceof Error ? error.message : String(error);
			this.#print(`[runtime] ${reason}\n`);
			this.#setStatus({ phase: 'stopped', reason });
			throw error;
		}
	}

	stop() {
		return this.#serial(async () => {
			await this.#stopProcesses();
			this.#setStatus({ phase: 'stopped', reason: 'Stopped.' });
		});
	}

	/** Reads files of the work dir once pending file writes are on disk. */
	readFiles(paths: string[]) {
		return this.#serial(() => readTexts(this.workDir, paths));
	}

	/**
	 * Runs a command in the work dir once pending file writes are on disk. Its output goes to
	 * the log, and to `onOutput` too (a deploy keeps a log of its own).
	 */
	async exec(
		command: string,
		opts: {
			timeoutMs?: number;
			env?: Record<string, string>;
			onOutput?: (text: string) => void;
		} = {}
	): Promise<CommandResult> {
		await this.#queue.catch(() => undefined);
		this.lastUsed = Date.now();
		this.#print(`$ ${command}\n`);
		opts.onOutput?.(`$ ${command}\n`);
		const result = await runToEnd(command, {
			cwd: this.workDir,
			timeoutMs: opts.timeoutMs ?? 5 * 60_000,
			env: opts.env,
			onOutput: (text) => opts.onOutput?.(this.#print(text))
		});
		this.#print(`[exit ${result.exitCode}]\n`);
		return { exitCode: result.exitCode, output: this.#projectPaths(result.output) };
	}

	async dispose() {
		await this.#serial(() => this.#stopProcesses()).catch(() => undefined);
		this.#listeners.clear();
	}

	async #install() {
		// A running app keeps running while dependencies are installed beside it.
		const before = this.status;
		this.#setStatus({ phase: 'installing' });
		const started = Date.now();
		const outcome = await installDependencies(this.config.root, this.workDir, {
			timeoutMs: this.config.installTimeoutMs,
			onOutput: (text) => this.#print(text)
		}).catch((error: Error) => {
			this.#setStatus({ phase: 'stopped', reason: 'Installing dependencies failed.' });
			throw error;
		});
		this.#installedKey = await dependencyKey(this.workDir);
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		this.#print(
			`[runtime] dependencies ${outcome.cached ? 'linked from cache' : 'installed'} in ${seconds} s\n`
		);
		this.#setStatus(this.running && before.phase === 'ready' ? before : { phase: 'idle' });
	}

	async #startProcesses(): Promise<string> {
		// Ports stay the same across restarts: the app's bundle holds its backend's URL.
		this.#ports ??= {
			dev: await freePort(),
			proxy: await freePort(),
			api: await freePort(),
			site: await freePort()
		};
		const env: Record<string, string> = {};
		// The backend and the dev server start side by side: the app only needs the backend's
		// URL, which its fixed port decides.
		const started = Date.now();
		const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
		let backendReady: Promise<unknown> = Promise.resolve();
		const devDeployment = this.#devDeployment;
		if (devDeployment && canRunAppBackend(this.workDir)) {
			this.#print(
				`[runtime] the app's backend is your Convex dev deployment ${devDeployment.deploymentUrl}\n`
			);
			backendReady = this.#pushToDev(devDeployment).then(() => {
				this.#pushedTo = devDeployment;
				this.#print(`[runtime] convex/ is pushed to the dev deployment (${took()})\n`);
			});
			Object.assign(env, backendEnv(devDeployment.deploymentUrl));
		} else if (canRunAppBackend(this.workDir)) {
			backendReady = this.#startBackend().then((backend) => {
				this.#backend = backend;
				this.#print(
					`[runtime] the app's backend is ready (${took()})\n` +
						'[runtime] it is a Convex emulator: its data lives in memory and resets when convex/ changes\n'
				);
			});
			Object.assign(env, backendEnv(`http://127.0.0.1:${this.#ports.api}`));
		} else {
			this.#print('[runtime] no convex/schema.ts: the app runs without a backend\n');
		}
		const dev = await this.#spawnDevServer(env);
		this.#dev = dev;
		void dev.exited.then((code) => {
			if (this.#dev !== dev) return;
			this.#dev = null;
			if (this.#stopping) return;
			const reason = `The dev server exited (code ${code}).`;
			this.#print(`[runtime] ${reason}\n`);
			this.#setStatus({ phase: 'stopped', reason });
		});
		// Both settle before a failure is thrown, so the caller's cleanup stops both processes.
		const settled = await Promise.allSettled([
			backendReady,
			waitForHttp(
				`http://127.0.0.1:${this.#ports.dev}/`,
				this.config.startTimeoutMs,
				() => this.#dev !== dev
			).then(() => this.#print(`[runtime] the dev server answers (${took()})\n`))
		]);
		for (const result of settled) if (result.status === 'rejected') throw result.reason;
		this.#keepWarmProcess();
		this.#proxy = await startPreviewProxy(this.#ports.dev, this.#ports.proxy);
		return this.#proxy.url;
	}

	/** The dev script, run by a warm process of these dependencies where one waits. */
	async #spawnDevServer(backend: Record<string, string>): Promise<RunningProcess> {
		const args = devServerArgs(this.#ports!.dev);
		const script = await npmScript(this.workDir, 'dev', args);
		const env = { ...backend, ...script.env };
		const onOutput = (text: string) => this.#print(text);
		const viteArgs = script.script === null ? null : viteDevArgs(script.script);
		if (viteArgs && this.#installedKey) {
			const warm = takeWarmVite(cacheDirFor(this.config.root, this.#installedKey), {
				workDir: this.workDir,
				args: [...viteArgs, ...args],
				env,
				onOutput
			});
			if (warm) {
				this.#print(`$ ${script.command}   (in a warm process, Vite already loaded)\n`);
				return warm;
			}
		}
		this.#print(`$ ${script.command}\n`);
		return spawnShell(script.command, { cwd: this.workDir, env, onOutput });
	}

	/**
	 * Readies a warm process for the next dev server of these dependencies, a little after this
	 * one started: on two cores, loading it at once would slow the page now loading the app.
	 */
	#keepWarmProcess() {
		const key = this.#installedKey;
		if (!key) return;
		setTimeout(() => {
			void prepareWarmVite(cacheDirFor(this.config.root, key)).catch((error: Error) =>
				console.warn(`[runtime] no warm dev server process: ${error.message}`)
			);
		}, WARM_PROCESS_DELAY_MS).unref();
	}

	#backendRuns() {
		return this.#backend !== null || this.#pushedTo !== null;
	}

	#pushToDev(dev: DevDeployment) {
		return pushToDevDeployment(this.workDir, dev, (text) => this.#printBackend(text));
	}

	/** The app backend's output (the emulator's, or the Convex CLI's push), marked as such. */
	#printBackend(text: string) {
		this.#print(text.replace(/^/gm, '[backend] ').replace(/\[backend\] $/, ''));
	}

	async #startBackend(): Promise<AppBackend> {
		const ports = this.#ports!;
		const backend = await startAppBackend(
			join(this.workDir, 'convex'),
			{ api: ports.api, site: ports.site },
			(text) => this.#printBackend(text)
		);
		// The next backend (a convex/ change, a restart, another project) starts from a loaded one.
		setTimeout(prepareWarmBackend, WARM_PROCESS_DELAY_MS).unref();
		void backend.process.exited.then((code) => {
			if (this.#backend !== backend || this.#stopping) return;
			this.#backend = null;
			this.#reportError({
				kind: 'build',
				message: `The app's Convex backend stopped (code ${code}). See the log.`,
				source: 'convex/'
			});
		});
		return backend;
	}

	/** convex/ changed: reload the generated functions (the in-memory data starts over). */
	#restartBackendSoon() {
		if (this.#backendRestart) clearTimeout(this.#backendRestart);
		this.#backendRestart = setTimeout(() => {
			this.#backendRestart = null;
			void this.#serial(async () => {
				const dev = this.#pushedTo;
				if (dev) {
					// The data stays: a push to Convex changes the functions, not the tables.
					this.#print('[runtime] convex/ changed: pushing it to the dev deployment\n');
					await this.#pushToDev(dev).catch((error: Error) =>
						this.#reportError({ kind: 'build', message: error.message, source: 'convex/' })
					);
					return;
				}
				if (!this.#backend) return;
				const old = this.#backend;
				this.#backend = null;
				await old.process.kill();
				this.#print('[runtime] convex/ changed: reloading the backend (in-memory data resets)\n');
				try {
					this.#backend = await this.#startBackend();
				} catch (error) {
					this.#reportError({
						kind: 'build',
						message: `The app's Convex functions failed to load: ${error instanceof Error ? error.message : error}`,
						source: 'convex/'
					});
				}
			});
		}, BACKEND_RESTART_DELAY_MS);
	}

	async #stopProcesses() {
		this.#stopping = true;
		try {
			if (this.#backendRestart) clearTimeout(this.#backendRestart);
			const dev = this.#dev;
			const backend = this.#backend;
			const proxy = this.#proxy;
			this.#dev = null;
			this.#backend = null;
			this.#pushedTo = null;
			this.#proxy = null;
			await Promise.all([dev?.kill(), backend?.process.kill(), proxy?.close()]);
		} finally {
			this.#stopping = false;
		}
	}

	#serial<T>(job: () => Promise<T>): Promise<T> {
		this.lastUsed = Date.now();
		const run = this.#queue.then(job, job);
		this.#queue = run.catch(() => undefined);
		return run;
	}

	#setStatus(status: RuntimeStatus) {
		this.status = status;
		this.#emit({ type: 'status', status });
	}

	/**
	 * Output names files by their paths in the project, as the person and the agent know them
	 * (`convex/ideas.ts:3:7`), not by where this server keeps the work dir.
	 */
	#projectPaths(text: string) {
		return text.replaceAll(`${this.workDir}/`, '').replaceAll(this.workDir, '.');
	}

	/** Adds `output` to the log; returns it as printed. */
	#print(output: string): string {
		const text = this.#projectPaths(output);
		this.#log = (this.#log + text).slice(-LOG_KEEP_CHARS);
		this.#emit({ type: 'log', text });
		return text;
	}

	#reportError(error: Omit<PreviewError, 'at'>) {
		this.#print(`[runtime] ${error.message}\n`);
		this.#emit({ type: 'error', error: { ...error, at: Date.now() } });
	}

	#emit(event: RuntimeEvent) {
		for (const listener of this.#listeners) {
			try {
				listener(event);
			} catch {
				// A closed stream must not stop the others.
			}
		}
	}
}

export function workDirFor(root: string, projectId: string) {
	return join(root, 'projects', projectId);
}
