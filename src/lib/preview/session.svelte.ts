// Connects a project's files (its Workspace, or a shared project's) to a PreviewRuntime: mounts
// the saved files, installs, starts the dev server, and from then on sends every saved change
// (by anyone: the person, another tab, the agent) to the runtime. Holds what the preview pane,
// the log panel and the error list show.
import { getContext, setContext } from 'svelte';
import { LocalRuntime, localRuntimeEnabled } from './local';
import type { FileChange, PreviewError, PreviewRuntime, RuntimeStatus } from './runtime';

export type RuntimeKind = PreviewRuntime['kind'];

/** How many preview errors are kept for the list (the newest). */
const MAX_ERRORS = 20;
const PREFERENCE_KEY = 'appbuilder.previewRuntime';

type TokenSource = () => Promise<string | null>;

/**
 * Where a preview's files come from: the Workspace of a project being edited, or the files of a
 * shared project seen read-only. `files` is reactive (null until loaded).
 */
export interface PreviewSource {
	/** Names the runtime on the server: a project id, or a share view's runtime id. */
	readonly projectId: string;
	readonly files: { path: string; hash: string }[] | null;
	load(hashes: string[]): Promise<Map<string, string>>;
}

export class PreviewSession {
	status = $state.raw<RuntimeStatus>({ phase: 'idle' });
	/** What the person sees in the status line while the session itself is busy. */
	step = $state<string | null>(null);
	/** The runtimes this browser and server offer, known after `open()`. */
	available = $state.raw<RuntimeKind[]>([]);
	kind = $state<RuntimeKind | null>(null);
	errors = $state.raw<PreviewError[]>([]);
	/** The page the preview shows; null until the dev server is ready. */
	url = $state<string | null>(null);

	#runtime: PreviewRuntime | null = null;
	#unsubscribe: (() => void) | null = null;
	#log = '';
	#logListeners = new Set<(text: string, reset: boolean) => void>();
	/** path → hash of what the runtime has. */
	#synced = new Map<string, string>();
	#mounted = $state(false);
	#syncing: Promise<void> = Promise.resolve();
	#stopWatching: () => void;
	/** Resolves with the project's files once they have loaded (the boot's first need). */
	#filesLoaded: Promise<NonNullable<PreviewSource['files']>>;

	/**
	 * What this server and browser offer, asked for as soon as the session exists: by the time
	 * the page knows the person may open the preview, the answer is in.
	 */
	#offered = Promise.all([localRuntimeEnabled(), import('./webcontainer')]);

	constructor(
		readonly workspace: PreviewSource,
		readonly token: TokenSource
	) {
		let loaded: (files: NonNullable<PreviewSource['files']>) => void = () => undefined;
		this.#filesLoaded = new Promise((resolve) => (loaded = resolve));
		this.#stopWatching = $effect.root(() => {
			$effect(() => {
				const files = this.workspace.files;
				if (files) loaded(files);
				if (files && this.#mounted) this.#queueSync();
			});
		});
	}

	get runtime() {
		return this.#runtime;
	}

	/** Whether the runtime holds the project's files and can run commands (the agent's tools). */
	get canRunCommands() {
		return this.#mounted && this.status.phase !== 'unavailable';
	}

	/** Resolves once every file saved so far has reached the runtime. */
	async flush() {
		this.#queueSync();
		await this.#syncing;
	}

	get log() {
		return this.#log;
	}

	/** Subscribes to log output (for the terminal); it first receives the log so far. */
	onLog(listener: (text: string, reset: boolean) => void): () => void {
		listener(this.#log, true);
		this.#logListeners.add(listener);
		return () => this.#logListeners.delete(listener);
	}

	/** Picks a runtime (the saved preference when available) and starts the preview. */
	async open() {
		const available: RuntimeKind[] = [];
		const [localEnabled, { WebContainerRuntime }] = await this.#offered;
		if (localEnabled) available.push('local');
		const support = WebContainerRuntime.support();
		if (support.ok) available.push('webcontainer');
		this.available = available;
		const preferred = localStorage.getItem(PREFERENCE_KEY) as RuntimeKind | null;
		const kind = preferred && available.includes(preferred) ? preferred : available[0];
		if (!kind) {
			const reason = support.ok ? '' : support.reason;
			this.#setStatus({
				phase: 'unavailable',
				reason:
					`${reason} The operator of this builder can also turn on the local runtime (LOCAL_RUNTIME=1) to run previews on the server.`.trim()
			});
			return;
		}
		await this.use(kind);
	}

	/** Switches to another runtime and starts the preview in it. */
	async use(kind: RuntimeKind) {
		localStorage.setItem(PREFERENCE_KEY, kind);
		await this.#disposeRuntime();
		this.kind = kind;
		this.errors = [];
		// The previous runtime's state (say, WebContainer unavailable) says nothing of this one.
		this.#setStatus({ phase: 'idle' });
		const runtime: PreviewRuntime =
			kind === 'local'
				? new LocalRuntime(this.workspace.projectId, this.token)
				: new (await import('./webcontainer')).WebContainerRuntime();
		this.#runtime = runtime;
		this.#unsubscribe = runtime.on((event) => {
			if (this.#runtime !== runtime) return;
			if (event.type === 'status') this.#setStatus(event.status);
			else if (event.type === 'log') this.#appendLog(event.text, event.reset ?? false);
			else this.reportError(event.error);
		});
		await this.#boot(runtime);
	}

	/** Restarts the dev server (and the app's backend) without remounting. */
	async restart() {
		const runtime = this.#runtime;
		if (!runtime) return this.open();
		if (!this.#mounted) {
			// It never got the files (say, the server had no room for another preview): boot again.
			this.#setStatus({ phase: 'idle' });
			return this.#boot(runtime);
		}
		await this.#run(runtime, 'Restarting', async () => {
			const url = await runtime.start();
			if (this.#runtime === runtime) this.url = url;
		});
	}

	async stop() {
		await this.#runtime?.stop().catch(() => undefined);
	}

	reportError(error: PreviewError) {
		this.errors = [...this.errors, error].slice(-MAX_ERRORS);
	}

	dismissError(error: PreviewError) {
		this.errors = this.errors.filter((e) => e !== error);
	}

	clearErrors() {
		this.errors = [];
	}

	async dispose() {
		this.#stopWatching();
		await this.#disposeRuntime();
	}

	async #boot(runtime: PreviewRuntime) {
		// Every step checks that the person has not switched runtime meanwhile.
		const current = () => this.#runtime === runtime;
		if (await this.#resume(runtime)) return;
		await this.#run(runtime, 'Preparing files', async () => {
			const files = await this.#waitForFiles();
			const contents = await this.workspace.load(files.map((f) => f.hash));
			await runtime.mount(files.map((f) => ({ path: f.path, content: contents.get(f.hash)! })));
			if (!current()) return;
			this.#synced = new Map(files.map((f) => [f.path, f.hash]));
			this.#mounted = true;
		});
		// A runtime stopped earlier (by the person, or its dev server died) starts again when the
		// project is opened; one that cannot run here does not.
		if (!current() || !this.#mounted || this.#cannotRun()) return;
		// A local runtime that is already running (a reload of the page) keeps running.
		if (this.status.phase === 'ready') {
			this.url = this.status.url;
			this.#queueSync();
			return;
		}
		const installed = await this.#run(runtime, 'Installing dependencies', () => runtime.install());
		if (!current() || !installed || this.#cannotRun()) return;
		await this.#run(runtime, 'Starting the dev server', async () => {
			const url = await runtime.start();
			if (current()) this.url = url;
		});
	}

	/**
	 * A reopened project whose runtime kept its files and dependencies runs at once: nothing to
	 * load, write or install. False when the full boot must run instead; true also when the
	 * start failed (the status then says why, as after any failed start).
	 */
	async #resume(runtime: PreviewRuntime): Promise<boolean> {
		if (!runtime.resume) return false;
		const files = await this.#waitForFiles();
		let url: string | null = null;
		const ok = await this.#run(runtime, 'Starting the dev server', async () => {
			url = await runtime.resume!(files);
		});
		if (this.#runtime !== runtime || !ok) return true;
		if (!url) return false;
		this.#synced = new Map(files.map((f) => [f.path, f.hash]));
		this.#mounted = true;
		this.url = url;
		// Saves made while it started are sent now.
		this.#queueSync();
		return true;
	}

	/** This browser or server cannot run the runtime at all (a status may change while awaiting). */
	#cannotRun() {
		return this.status.phase === 'unavailable';
	}

	/** Runs one step of the boot; false when it failed (the status then says why). */
	async #run(runtime: PreviewRuntime, step: string, job: () => Promise<void>): Promise<boolean> {
		this.step = step;
		try {
			await job();
			return true;
		} catch (error) {
			if (this.#runtime === runtime && this.status.phase !== 'unavailable') {
				const reason = error instanceof Error ? error.message : String(error);
				this.#setStatus({ phase: 'stopped', reason: `${step} failed: ${reason}` });
			}
			return false;
		} finally {
			if (this.#runtime === runtime) this.step = null;
		}
	}

	/** The newest files, once they have loaded. */
	async #waitForFiles(): Promise<NonNullable<PreviewSource['files']>> {
		const first = await this.#filesLoaded;
		return this.workspace.files ?? first;
	}

	/** Sends what changed since the last sync; one sync at a time, each sees the newest files. */
	#queueSync() {
		this.#syncing = this.#syncing.then(() => this.#sync()).catch(() => undefined);
	}

	async #sync() {
		const runtime = this.#runtime;
		const files = this.workspace.files;
		if (!runtime || !files) return;
		const now = new Map(files.map((f) => [f.path, f.hash]));
		const written = files.filter((f) => this.#synced.get(f.path) !== f.hash);
		const deleted = [...this.#synced.keys()].filter((path) => !now.has(path));
		if (written.length === 0 && deleted.length === 0) return;
		const contents = await this.workspace.load(written.map((f) => f.hash));
		const changes: FileChange[] = [
			...deleted.map((path) => ({ kind: 'delete' as const, path })),
			...written.map((f) => ({
				kind: 'write' as const,
				path: f.path,
				content: contents.get(f.hash)!
			}))
		];
		try {
			await runtime.apply(changes);
			for (const path of deleted) this.#synced.delete(path);
			for (const f of written) this.#synced.set(f.path, f.hash);
		} catch (error) {
			this.#appendLog(
				`[preview] could not apply changes: ${error instanceof Error ? error.message : error}\n`,
				false
			);
		}
	}

	#setStatus(status: RuntimeStatus) {
		this.status = status;
		if (status.phase === 'ready') this.url ??= status.url;
		if (status.phase === 'stopped' || status.phase === 'unavailable') this.url = null;
	}

	#appendLog(text: string, reset: boolean) {
		this.#log = reset ? text : (this.#log + text).slice(-500_000);
		for (const listener of this.#logListeners) listener(text, reset);
	}

	async #disposeRuntime() {
		this.#unsubscribe?.();
		this.#unsubscribe = null;
		const runtime = this.#runtime;
		this.#runtime = null;
		this.#mounted = false;
		this.url = null;
		// The local runtime keeps running on the server (idle shutdown stops it); WebContainer
		// lives in this page and goes with it.
		// Not awaited: a WebContainer whose boot never settled cannot finish tearing down.
		void runtime?.dispose().catch(() => undefined);
	}
}

const CONTEXT = Symbol('preview-session');

export function setPreviewSession(session: PreviewSession) {
	setContext(CONTEXT, session);
}

export function usePreviewSession(): PreviewSession {
	return getContext(CONTEXT);
}
