// The preview runtime inside the browser tab: StackBlitz's WebContainer. Browser-only; the API
// package is imported inside boot, so server rendering never loads it. WebContainer allows one
// instance per page, so the boot is shared; without a network connection it never settles,
// hence the timeout. File writes go through one serial queue, so a save never overtakes the
// mount or the save before it.
import { stripAnsi } from './ansi';
import type { FileSystemTree } from '@webcontainer/api';
import { PROJECT_COMMANDS } from './commands';
import { ERROR_REPORTER_SCRIPT } from './errorReporter';
import type {
	CommandResult,
	FileChange,
	FileWrite,
	PreviewRuntime,
	RuntimeEvent,
	RuntimeStatus
} from './runtime';

/** The parts of a WebContainer process this runtime uses. */
export interface WebContainerProcessLike {
	readonly exit: Promise<number>;
	readonly output: ReadableStream<string>;
	kill(): void;
}

/** The parts of `WebContainer` this runtime uses; tests pass a fake of this shape. */
export interface WebContainerLike {
	fs: {
		writeFile(path: string, data: string): Promise<void>;
		readFile(path: string, encoding: 'utf-8'): Promise<string>;
		mkdir(path: string, options: { recursive: true }): Promise<unknown>;
		rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
	};
	mount(tree: FileSystemTree): Promise<void>;
	spawn(
		command: string,
		args: string[],
		options?: { env?: Record<string, string> }
	): Promise<WebContainerProcessLike>;
	on(event: 'server-ready', listener: (port: number, url: string) => void): () => void;
	on(event: 'error', listener: (error: { message: string }) => void): () => void;
	setPreviewScript(source: string): Promise<void>;
	teardown(): void;
}

export interface WebContainerRuntimeOptions {
	/** Extra environment for the dev server, e.g. `backendEnv(url)`. */
	env?: Record<string, string>;
	/** How long to wait for WebContainer to boot before calling it unavailable. */
	bootTimeoutMs?: number;
	/** How long the dev server may take to listen before start() gives up. */
	startTimeoutMs?: number;
	/** Replaces the real boot (tests). Not shared between runtimes, unlike the real one. */
	boot?: () => Promise<WebContainerLike>;
}

export type WebContainerSupport = { ok: true } | { ok: false; reason: string };

/** The port the dev server listens on inside the container (only this page can reach it). */
export const DEV_PORT = 5173;
const DEFAULT_BOOT_TIMEOUT_MS = 20_000;
const DEFAULT_START_TIMEOUT_MS = 120_000;
const DEFAULT_EXEC_TIMEOUT_MS = 5 * 60_000;
const EXEC_OUTPUT_CHARS = 20_000;
const INSTALL_TAIL_CHARS = 4_000;
/** After a process exits, how long its output stream may take to drain. */
const OUTPUT_DRAIN_MS = 200;
const KILL_WAIT_MS = 2_000;
/** Tools print plain text, without colours or spinners, as in the local runtime. */
const PROCESS_ENV = { NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };

export { stripAnsi };

/** Keeps the end of a command's output: that is where it says why it failed. */
function tail(text: string, max: number): string {
	return text.length <= max
		? text
		: `…(${text.length - max} earlier characters cut)\n` + text.slice(-max);
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Turns flat project paths into WebContainer's nested tree. */
export function toFileSystemTree(files: FileWrite[]): FileSystemTree {
	const root: FileSystemTree = {};
	for (const { path, content } of files) {
		const parts = path.split('/');
		const name = parts.pop()!;
		let dir = root;
		for (const part of parts) {
			const node = (dir[part] ??= { directory: {} });
			if (!('directory' in node)) throw new Error(`${path}: ${part} is a file, not a folder`);
			dir = node.directory;
		}
		if (dir[name] && 'directory' in dir[name]) throw new Error(`${path} is a folder`);
		dir[name] = { file: { contents: content } };
	}
	return root;
}

/** Waits for a process's output to be read to its end, but not for long. */
async function drain(piped: Promise<void>): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	await Promise.race([
		piped,
		new Promise((resolve) => (timer = setTimeout(resolve, OUTPUT_DRAIN_MS)))
	]);
	clearTimeout(timer);
}

interface Deferred<T> {
	promise: Promise<T>;
	resolve(value: T): void;
	reject(error: Error): void;
}

/** `Promise.withResolvers`, which Node 20 lacks. */
function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

class Unavailable extends Error {}

const SUPERSEDED = 'The dev server was stopped or restarted before it was ready.';

// One WebContainer per page: every runtime created without an injected boot shares this.
let sharedBoot: Promise<WebContainerLike> | null = null;

function bootShared(): Promise<WebContainerLike> {
	sharedBoot ??= (async () => {
		const { WebContainer } = await import('@webcontainer/api');
		const container: WebContainerLike = await WebContainer.boot({ coep: 'credentialless' });
		return container;
	})();
	// A failed boot may be retried by a later runtime; one that hangs stays shared, since a
	// second boot would be refused while the first is pending.
	sharedBoot.catch(() => (sharedBoot = null));
	return sharedBoot;
}

export class WebContainerRuntime implements PreviewRuntime {
	readonly kind = 'webcontainer';
	#status: RuntimeStatus = { phase: 'idle' };
	#listeners = new Set<(event: RuntimeEvent) => void>();
	#queue: Promise<unknown> = Promise.resolve();
	#container: Promise<WebContainerLike> | null = null;
	#unavailable: string | null = null;
	#disposed = false;
	#unsubscribe: (() => void)[] = [];
	/** Paths this runtime wrote, so a new mount can remove the ones that are gone. */
	#paths = new Set<string>();
	#booted: WebContainerLike | null = null;
	#dev: WebContainerProcessLike | null = null;
	/** The start() waiting for the dev server's 'server-ready'. */
	#starting: Deferred<string> | null = null;
	/** Bumped by every start and stop, so an older start that is still spawning backs off. */
	#generation = 0;
	readonly #env: Record<string, string>;
	readonly #bootTimeoutMs: number;
	readonly #startTimeoutMs: number;
	readonly #boot: (() => Promise<WebContainerLike>) | null;

	constructor(options: WebContainerRuntimeOptions = {}) {
		this.#env = options.env ?? {};
		this.#bootTimeoutMs = options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
		this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
		this.#boot = options.boot ?? null;
	}

	/** Whether this browser tab can run WebContainer at all, and if not, why in plain words. */
	static support(): WebContainerSupport {
		const scope = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
		if (scope.crossOriginIsolated !== true) {
			return {
				ok: false,
				reason:
					'This browser tab is not cross-origin isolated, so WebContainer cannot run here. ' +
					'The page needs its cross-origin isolation headers (COOP and COEP): open the project ' +
					'directly rather than inside another site, and reload.'
			};
		}
		if (typeof scope.SharedArrayBuffer !== 'function') {
			return {
				ok: false,
				reason:
					'This browser does not provide SharedArrayBuffer, which WebContainer needs. ' +
					'A current Chrome, Edge or Firefox can run the preview.'
			};
		}
		return { ok: true };
	}

	get status(): RuntimeStatus {
		return this.#status;
	}

	on(listener: (event: RuntimeEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Boots WebContainer if it is not booted yet (every other method does this first). */
	async boot(): Promise<void> {
		await this.#ready();
	}

	mount(files: FileWrite[]): Promise<void> {
		return this.#serial(async (container) => {
			const keep = new Set(files.map((f) => f.path));
			for (const path of this.#paths) {
				if (!keep.has(path)) await container.fs.rm(path, { force: true });
			}
			await container.mount(toFileSystemTree(files));
			this.#paths = keep;
			this.#print(`[runtime] wrote ${files.length} files\n`);
		});
	}

	apply(changes: FileChange[]): Promise<void> {
		return this.#serial(async (container) => {
			for (const change of changes) {
				if (change.kind === 'delete') {
					await container.fs.rm(change.path, { force: true });
					this.#paths.delete(change.path);
					continue;
				}
				const slash = change.path.lastIndexOf('/');
				if (slash > 0) await container.fs.mkdir(change.path.slice(0, slash), { recursive: true });
				await container.fs.writeFile(change.path, change.content);
				this.#paths.add(change.path);
			}
		});
	}

	async install(): Promise<void> {
		const container = await this.#settled();
		const before = this.#status;
		this.#setStatus({ phase: 'installing' });
		const { exitCode, output } = await this.#run(container, PROJECT_COMMANDS.install, {
			log: true
		});
		if (exitCode !== 0) {
			const reason = `Installing dependencies failed (exit code ${exitCode}).`;
			this.#setStatus({ phase: 'stopped', reason });
			throw new Error(`${reason}\n${tail(output, INSTALL_TAIL_CHARS)}`);
		}
		// A running dev server keeps running through an install.
		this.#setStatus(this.#dev && before.phase === 'ready' ? before : { phase: 'idle' });
	}

	async start(): Promise<string> {
		const container = await this.#settled();
		const generation = ++this.#generation;
		this.#setStatus({ phase: 'starting' });
		await this.#stopDev();
		if (generation !== this.#generation) throw new Error(SUPERSEDED);

		const command = PROJECT_COMMANDS.dev.replace('$PORT', String(DEV_PORT));
		this.#print(`$ ${command}\n`);
		const ready = deferred<string>();
		this.#starting = ready;
		const dev = await this.#spawn(container, command, { ...this.#env, PORT: String(DEV_PORT) });
		if (generation !== this.#generation || this.#disposed) {
			dev.kill();
			throw new Error(SUPERSEDED);
		}
		this.#dev = dev;
		let recent = '';
		const drained = this.#pipe(dev.output, (text) => {
			recent = (recent + text).slice(-INSTALL_TAIL_CHARS);
			this.#print(text);
		});
		void dev.exit.then(async (code) => {
			await drain(drained);
			if (this.#dev !== dev) return; // stopped or replaced on purpose
			this.#dev = null;
			const reason = `The dev server exited (code ${code}).`;
			this.#print(`[runtime] ${reason}\n`);
			this.#setStatus({ phase: 'stopped', reason });
			ready.reject(new Error(`${reason}\n${recent}`));
		});

		const timer = setTimeout(
			() =>
				ready.reject(
					new Error(`The dev server did not start within ${seconds(this.#startTimeoutMs)}.`)
				),
			this.#startTimeoutMs
		);
		try {
			const url = await ready.promise;
			this.#setStatus({ phase: 'ready', url });
			return url;
		} catch (error) {
			if (this.#dev === dev) {
				await this.#stopDev();
				this.#setStatus({ phase: 'stopped', reason: message(error).split('\n')[0] });
			}
			throw error;
		} finally {
			clearTimeout(timer);
			if (this.#starting === ready) this.#starting = null;
		}
	}

	async stop(): Promise<void> {
		await this.#ready();
		this.#generation++;
		await this.#stopDev();
		this.#setStatus({ phase: 'stopped', reason: 'Stopped.' });
	}

	readFiles(paths: string[]): Promise<(string | null)[]> {
		return this.#serial(async (container) =>
			Promise.all(paths.map((path) => container.fs.readFile(path, 'utf-8').catch(() => null)))
		);
	}

	async exec(command: string, options: { timeoutMs?: number } = {}): Promise<CommandResult> {
		const container = await this.#settled();
		return this.#run(container, command, {
			log: true,
			timeoutMs: options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS
		});
	}

	async dispose(): Promise<void> {
		if (this.#disposed) return;
		this.#disposed = true;
		this.#generation++;
		this.#starting?.reject(new Error('The preview runtime was disposed.'));
		this.#starting = null;
		this.#dev?.kill();
		this.#dev = null;
		this.#listeners.clear();
		// A boot still pending is torn down when it finishes (see #bootWithTimeout).
		if (this.#booted) this.#teardown(this.#booted);
	}

	#teardown(container: WebContainerLike) {
		for (const unsubscribe of this.#unsubscribe) unsubscribe();
		this.#unsubscribe = [];
		this.#booted = null;
		// The next runtime on this page boots a fresh one.
		if (!this.#boot) sharedBoot = null;
		try {
			container.teardown();
		} catch {
			// Already gone.
		}
	}

	/** The container, booted; rejects with the reason when WebContainer cannot run. */
	#ready(): Promise<WebContainerLike> {
		if (this.#disposed) return Promise.reject(new Error('This preview runtime was disposed.'));
		if (this.#unavailable) return Promise.reject(new Unavailable(this.#unavailable));
		this.#container ??= this.#bootWithTimeout();
		return this.#container;
	}

	async #bootWithTimeout(): Promise<WebContainerLike> {
		if (!this.#boot) {
			const support = WebContainerRuntime.support();
			if (!support.ok) throw this.#markUnavailable(support.reason);
		}
		this.#setStatus({ phase: 'booting' });
		const booting = this.#boot ? this.#boot() : bootShared();
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timedOut = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() =>
					reject(
						new Unavailable(
							`WebContainer did not start within ${seconds(this.#bootTimeoutMs)}. It loads from ` +
								'StackBlitz (stackblitz.com and webcontainer-api.io), so it needs a network ' +
								'connection that reaches those sites; without one it waits forever. Check the ' +
								'connection and reload the page, or run the preview with the local runtime.'
						)
					),
				this.#bootTimeoutMs
			);
		});
		let container: WebContainerLike;
		try {
			container = await Promise.race([booting, timedOut]);
		} catch (error) {
			throw this.#markUnavailable(
				error instanceof Unavailable
					? error.message
					: `WebContainer failed to start: ${message(error)}`
			);
		} finally {
			clearTimeout(timer);
		}
		if (this.#disposed) {
			this.#teardown(container);
			throw new Error('This preview runtime was disposed.');
		}
		this.#booted = container;
		this.#unsubscribe.push(
			container.on('server-ready', (port, url) => this.#serverReady(port, url)),
			container.on('error', (error) => this.#print(`[webcontainer] ${error.message}\n`))
		);
		try {
			await container.setPreviewScript(ERROR_REPORTER_SCRIPT);
		} catch (error) {
			this.#print(`[runtime] could not install the preview error reporter: ${message(error)}\n`);
		}
		this.#setStatus({ phase: 'idle' });
		return container;
	}

	#markUnavailable(reason: string): Unavailable {
		this.#unavailable = reason;
		this.#print(`[runtime] ${reason}\n`);
		this.#setStatus({ phase: 'unavailable', reason });
		return new Unavailable(reason);
	}

	#serverReady(port: number, url: string) {
		if (port !== DEV_PORT || !this.#dev) return;
		if (this.#starting) {
			this.#starting.resolve(url);
			return;
		}
		// The dev server restarted by itself (e.g. after a config change).
		if (this.#status.phase !== 'ready' || this.#status.url !== url) {
			this.#setStatus({ phase: 'ready', url });
		}
	}

	async #stopDev() {
		this.#starting?.reject(new Error(SUPERSEDED));
		this.#starting = null;
		const dev = this.#dev;
		if (!dev) return;
		this.#dev = null;
		dev.kill();
		// The next dev server wants the same port (--strictPort): let this one let go of it.
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([
			dev.exit.catch(() => undefined),
			new Promise((resolve) => (timer = setTimeout(resolve, KILL_WAIT_MS)))
		]);
		clearTimeout(timer);
	}

	/** File operations: one at a time, in call order, whatever happened to the one before. */
	#serial<T>(job: (container: WebContainerLike) => Promise<T>): Promise<T> {
		const run = this.#queue.then(async () => job(await this.#ready()));
		this.#queue = run.catch(() => undefined);
		return run;
	}

	/** The container once every file operation asked for so far has finished. */
	async #settled(): Promise<WebContainerLike> {
		const container = await this.#ready();
		await this.#queue;
		return container;
	}

	#spawn(container: WebContainerLike, command: string, env: Record<string, string> = {}) {
		return container.spawn('jsh', ['-c', command], { env: { ...PROCESS_ENV, ...env } });
	}

	async #pipe(stream: ReadableStream<string>, onText: (text: string) => void): Promise<void> {
		await stream
			.pipeTo(new WritableStream({ write: (chunk) => onText(stripAnsi(chunk)) }))
			.catch(() => undefined);
	}

	/** Runs a command to its end, collecting the tail of its output. */
	async #run(
		container: WebContainerLike,
		command: string,
		options: { log: boolean; timeoutMs?: number }
	): Promise<CommandResult> {
		if (options.log) this.#print(`$ ${command}\n`);
		const proc = await this.#spawn(container, command);
		let output = '';
		const drained = this.#pipe(proc.output, (text) => {
			output = (output + text).slice(-EXEC_OUTPUT_CHARS * 2);
			if (options.log) this.#print(text);
		});

		let timer: ReturnType<typeof setTimeout> | undefined;
		const outcome = await Promise.race([
			proc.exit,
			new Promise<'timeout'>((resolve) => {
				if (options.timeoutMs !== undefined) {
					timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
				}
			})
		]);
		clearTimeout(timer);
		let exitCode: number;
		let note = '';
		if (outcome === 'timeout') {
			proc.kill();
			exitCode = 124;
			note = `\n[stopped after ${seconds(options.timeoutMs!)}: the command took longer than allowed]\n`;
		} else {
			exitCode = outcome;
		}
		await drain(drained);
		if (options.log) this.#print(`${note}[exit ${exitCode}]\n`);
		return { exitCode, output: tail(output + note, EXEC_OUTPUT_CHARS) };
	}

	#setStatus(status: RuntimeStatus) {
		this.#status = status;
		this.#emit({ type: 'status', status });
	}

	#print(text: string) {
		this.#emit({ type: 'log', text });
	}

	#emit(event: RuntimeEvent) {
		for (const listener of this.#listeners) {
			try {
				listener(event);
			} catch {
				// One broken listener must not silence the others.
			}
		}
	}
}
