import { afterEach, describe, expect, test, vi, type Mock } from 'vitest';
import { backendEnv, PROJECT_COMMANDS } from '../../src/lib/preview/commands';
import { ERROR_REPORTER_SCRIPT } from '../../src/lib/preview/errorReporter';
import type { RuntimeEvent, RuntimeStatus } from '../../src/lib/preview/runtime';
import {
	DEV_PORT,
	toFileSystemTree,
	WebContainerRuntime,
	type WebContainerLike
} from '../../src/lib/preview/webcontainer';

interface FakeProcess {
	exit: Promise<number>;
	output: ReadableStream<string>;
	kill: Mock<() => void>;
	/** Ends the process as if it exited by itself. */
	end(code: number): void;
}

/** A process printing `chunks`, then exiting with `exitCode` (or running until killed). */
function fakeProcess(chunks: string[], exitCode?: number): FakeProcess {
	let finish!: (code: number) => void;
	const exit = new Promise<number>((resolve) => (finish = resolve));
	let controller!: ReadableStreamDefaultController<string>;
	const output = new ReadableStream<string>({
		start(c) {
			controller = c;
			for (const chunk of chunks) c.enqueue(chunk);
		}
	});
	let ended = false;
	const end = (code: number) => {
		if (ended) return;
		ended = true;
		controller.close();
		finish(code);
	};
	if (exitCode !== undefined) queueMicrotask(() => end(exitCode));
	return { exit, output, kill: vi.fn(() => end(143)), end };
}

type Spawned = {
	command: string;
	args: string[];
	env: Record<string, string>;
	process: FakeProcess;
};

/** The parts of WebContainer the runtime uses, recording what it is asked to do. */
function fakeContainer(run: (commandLine: string) => FakeProcess = () => fakeProcess([], 0)) {
	const ops: string[] = [];
	const spawned: Spawned[] = [];
	const serverReady: ((port: number, url: string) => void)[] = [];
	const container = {
		ops,
		spawned,
		previewScript: null as string | null,
		torndown: false,
		gate: null as Promise<void> | null,
		fs: {
			async writeFile(path: string, data: string) {
				ops.push(`write ${path} start`);
				await container.gate;
				ops.push(`write ${path}=${data}`);
			},
			async readFile(path: string) {
				ops.push(`read ${path}`);
				if (path === 'missing.txt') throw new Error('ENOENT');
				return `content of ${path}`;
			},
			async mkdir(path: string, options: { recursive: true }) {
				ops.push(`mkdir ${path} ${options.recursive}`);
			},
			async rm(path: string, options?: { force?: boolean }) {
				ops.push(`rm ${path} force=${options?.force}`);
			}
		},
		async mount(tree: unknown) {
			ops.push(`mount ${JSON.stringify(tree)}`);
		},
		async spawn(command: string, args: string[], options?: { env?: Record<string, string> }) {
			const process = run(args[1]);
			spawned.push({ command, args, env: options?.env ?? {}, process });
			return process;
		},
		on(event: string, listener: (...args: never[]) => void) {
			if (event === 'server-ready') serverReady.push(listener as (typeof serverReady)[number]);
			return () => {};
		},
		async setPreviewScript(source: string) {
			container.previewScript = source;
		},
		teardown() {
			container.torndown = true;
		},
		serverReady(port: number, url: string) {
			for (const listener of serverReady) listener(port, url);
		}
	};
	return container;
}

function runtimeWith(container: WebContainerLike, options: { env?: Record<string, string> } = {}) {
	const runtime = new WebContainerRuntime({ ...options, boot: async () => container });
	const events: RuntimeEvent[] = [];
	runtime.on((event) => events.push(event));
	const statuses = () =>
		events.filter((e) => e.type === 'status').map((e) => (e.status as RuntimeStatus).phase);
	const log = () =>
		events
			.filter((e) => e.type === 'log')
			.map((e) => e.text)
			.join('');
	return { runtime, events, statuses, log };
}

/** Lets pending promise callbacks run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
});

describe('boot', () => {
	test('a boot that never settles makes the runtime unavailable after the timeout, saying why', async () => {
		vi.useFakeTimers();
		const runtime = new WebContainerRuntime({ boot: () => new Promise(() => {}) });
		const mounted = expect(runtime.mount([{ path: 'a.txt', content: 'a' }])).rejects.toThrow(
			'WebContainer did not start within 20 s'
		);
		await vi.advanceTimersByTimeAsync(19_999);
		expect(runtime.status).toEqual({ phase: 'booting' });
		await vi.advanceTimersByTimeAsync(1);
		await mounted;
		expect(runtime.status).toEqual({
			phase: 'unavailable',
			reason: expect.stringMatching(
				/^WebContainer did not start within 20 s\. It loads from StackBlitz/
			)
		});
		expect(runtime.status.phase === 'unavailable' && runtime.status.reason).toContain(
			'network connection'
		);
		const reason = (runtime.status as { reason: string }).reason;
		await expect(runtime.install()).rejects.toThrow(reason);
		await expect(runtime.start()).rejects.toThrow(reason);
		await expect(runtime.exec('ls')).rejects.toThrow(reason);
		await expect(runtime.apply([{ kind: 'delete', path: 'a.txt' }])).rejects.toThrow(reason);
		await expect(runtime.stop()).rejects.toThrow(reason);
	});

	test('the timeout is configurable and shows in the reason', async () => {
		vi.useFakeTimers();
		const runtime = new WebContainerRuntime({
			boot: () => new Promise(() => {}),
			bootTimeoutMs: 5_000
		});
		const booted = expect(runtime.boot()).rejects.toThrow('did not start within 5 s');
		await vi.advanceTimersByTimeAsync(5_000);
		await booted;
	});

	test('a boot that fails makes the runtime unavailable with the error', async () => {
		const runtime = new WebContainerRuntime({
			boot: () => Promise.reject(new Error('Unable to create more instances'))
		});
		await expect(runtime.boot()).rejects.toThrow(
			'WebContainer failed to start: Unable to create more instances'
		);
		expect(runtime.status.phase).toBe('unavailable');
	});

	test('boots once, installs the error reporter, then is idle', async () => {
		const container = fakeContainer();
		const boot = vi.fn(async () => container);
		const runtime = new WebContainerRuntime({ boot });
		const statuses: string[] = [];
		runtime.on((e) => e.type === 'status' && statuses.push(e.status.phase));
		await Promise.all([runtime.boot(), runtime.mount([]), runtime.exec('true')]);
		expect(boot).toHaveBeenCalledTimes(1);
		expect(container.previewScript).toBe(ERROR_REPORTER_SCRIPT);
		expect(statuses).toEqual(['booting', 'idle']);
	});

	test('without an injected boot, an unsupported tab is unavailable and never loads the API', async () => {
		vi.stubGlobal('crossOriginIsolated', false);
		const runtime = new WebContainerRuntime();
		await expect(runtime.boot()).rejects.toThrow('not cross-origin isolated');
		expect(runtime.status.phase).toBe('unavailable');
	});
});

describe('support()', () => {
	test('needs cross-origin isolation', () => {
		vi.stubGlobal('crossOriginIsolated', false);
		const support = WebContainerRuntime.support();
		expect(support.ok).toBe(false);
		expect(!support.ok && support.reason).toMatch(
			/^This browser tab is not cross-origin isolated, so WebContainer cannot run here\./
		);
	});

	test('needs SharedArrayBuffer', () => {
		vi.stubGlobal('crossOriginIsolated', true);
		vi.stubGlobal('SharedArrayBuffer', undefined);
		const support = WebContainerRuntime.support();
		expect(!support.ok && support.reason).toContain('SharedArrayBuffer');
	});

	test('is fine with both', () => {
		vi.stubGlobal('crossOriginIsolated', true);
		expect(WebContainerRuntime.support()).toEqual({ ok: true });
	});
});

describe('files', () => {
	test('flat paths become a nested tree', () => {
		expect(
			toFileSystemTree([
				{ path: 'package.json', content: '{}' },
				{ path: 'src/routes/+page.svelte', content: 'p' },
				{ path: 'src/app.html', content: 'h' }
			])
		).toEqual({
			'package.json': { file: { contents: '{}' } },
			src: {
				directory: {
					routes: { directory: { '+page.svelte': { file: { contents: 'p' } } } },
					'app.html': { file: { contents: 'h' } }
				}
			}
		});
		expect(() =>
			toFileSystemTree([
				{ path: 'a', content: '' },
				{ path: 'a/b', content: '' }
			])
		).toThrow('a is a file');
	});

	test('a new mount removes the files the previous one wrote and that are gone', async () => {
		const container = fakeContainer();
		const { runtime } = runtimeWith(container);
		await runtime.mount([
			{ path: 'a.txt', content: '1' },
			{ path: 'b.txt', content: '2' }
		]);
		await runtime.apply([{ kind: 'write', path: 'c/d.txt', content: '3' }]);
		container.ops.length = 0;
		await runtime.mount([{ path: 'a.txt', content: '4' }]);
		expect(container.ops).toEqual([
			'rm b.txt force=true',
			'rm c/d.txt force=true',
			'mount {"a.txt":{"file":{"contents":"4"}}}'
		]);
	});

	test('changes are applied one call after another, in call order', async () => {
		const container = fakeContainer();
		const { runtime } = runtimeWith(container);
		let open!: () => void;
		container.gate = new Promise<void>((resolve) => (open = resolve));
		const first = runtime.apply([{ kind: 'write', path: 'src/a.ts', content: 'one' }]);
		const second = runtime.apply([
			{ kind: 'write', path: 'src/a.ts', content: 'two' },
			{ kind: 'delete', path: 'old.ts' }
		]);
		await flush();
		// The first write is stuck; the second call has not started.
		expect(container.ops).toEqual(['mkdir src true', 'write src/a.ts start']);
		open();
		await Promise.all([first, second]);
		expect(container.ops).toEqual([
			'mkdir src true',
			'write src/a.ts start',
			'write src/a.ts=one',
			'mkdir src true',
			'write src/a.ts start',
			'write src/a.ts=two',
			'rm old.ts force=true'
		]);
	});

	test('a failed change does not block the ones after it', async () => {
		const container = fakeContainer();
		const { runtime } = runtimeWith(container);
		const writeFile = container.fs.writeFile;
		container.fs.writeFile = async (path, data) => {
			if (path === 'bad') throw new Error('EIO');
			return writeFile(path, data);
		};
		await expect(runtime.apply([{ kind: 'write', path: 'bad', content: '' }])).rejects.toThrow(
			'EIO'
		);
		await runtime.apply([{ kind: 'write', path: 'good', content: 'x' }]);
		expect(container.ops).toContain('write good=x');
	});

	test('commands wait for file changes asked for before them', async () => {
		const container = fakeContainer(() => {
			container.ops.push('spawn');
			return fakeProcess([], 0);
		});
		const { runtime } = runtimeWith(container);
		let open!: () => void;
		container.gate = new Promise<void>((resolve) => (open = resolve));
		const applied = runtime.apply([{ kind: 'write', path: 'x', content: '1' }]);
		const ran = runtime.exec('cat x');
		await flush();
		expect(container.ops).toEqual(['write x start']);
		open();
		await Promise.all([applied, ran]);
		expect(container.ops).toEqual(['write x start', 'write x=1', 'spawn']);
	});

	test('files are read back after the writes before them; a missing one is null', async () => {
		const container = fakeContainer();
		const { runtime } = runtimeWith(container);
		let open!: () => void;
		container.gate = new Promise<void>((resolve) => (open = resolve));
		const applied = runtime.apply([{ kind: 'write', path: 'x', content: '1' }]);
		const read = runtime.readFiles(['convex/_generated/api.d.ts', 'missing.txt']);
		await flush();
		expect(container.ops).toEqual(['write x start']);
		open();
		await applied;
		expect(await read).toEqual(['content of convex/_generated/api.d.ts', null]);
		expect(container.ops.slice(-2)).toEqual([
			'read convex/_generated/api.d.ts',
			'read missing.txt'
		]);
	});
});

describe('commands', () => {
	test('exec runs through jsh and collects plain output and the exit code', async () => {
		const container = fakeContainer(() =>
			fakeProcess(['\x1b[32m✓\x1b[39m 3 tests\r\n', 'Error: 1 failed\r\n'], 1)
		);
		const { runtime, log } = runtimeWith(container);
		const result = await runtime.exec('npm test');
		expect(container.spawned[0].command).toBe('jsh');
		expect(container.spawned[0].args).toEqual(['-c', 'npm test']);
		expect(result).toEqual({ exitCode: 1, output: '✓ 3 tests\nError: 1 failed\n' });
		expect(log()).toBe('$ npm test\n✓ 3 tests\nError: 1 failed\n[exit 1]\n');
	});

	test('exec keeps the last 20,000 characters of output', async () => {
		const container = fakeContainer(() => fakeProcess(['a'.repeat(15_000), 'b'.repeat(15_000)], 0));
		const { runtime } = runtimeWith(container);
		const { output } = await runtime.exec('big');
		expect(output.endsWith('a'.repeat(5_000) + 'b'.repeat(15_000))).toBe(true);
		expect(output.startsWith('…(10000 earlier characters cut)\n')).toBe(true);
	});

	test('exec stops a command that runs too long, with exit code 124 and a note', async () => {
		const container = fakeContainer(() => fakeProcess(['waiting…\n']));
		const { runtime } = runtimeWith(container);
		const result = await runtime.exec('sleep 100', { timeoutMs: 100 });
		expect(container.spawned[0].process.kill).toHaveBeenCalled();
		expect(result.exitCode).toBe(124);
		expect(result.output).toBe(
			'waiting…\n\n[stopped after 0.1 s: the command took longer than allowed]\n'
		);
	});

	test('install streams its output and rejects with its tail when it fails', async () => {
		const container = fakeContainer(() =>
			fakeProcess(['npm error code E404\n', 'npm error 404 Not Found - left-pad\n'], 1)
		);
		const { runtime, statuses, log } = runtimeWith(container);
		await expect(runtime.install()).rejects.toThrow(
			'Installing dependencies failed (exit code 1).\nnpm error code E404\nnpm error 404 Not Found - left-pad\n'
		);
		expect(container.spawned[0].args).toEqual(['-c', PROJECT_COMMANDS.install]);
		expect(log()).toContain('npm error 404 Not Found - left-pad\n');
		expect(statuses()).toEqual(['booting', 'idle', 'installing', 'stopped']);
		expect(runtime.status).toEqual({
			phase: 'stopped',
			reason: 'Installing dependencies failed (exit code 1).'
		});
	});

	test('a successful install returns to idle', async () => {
		const { runtime, statuses } = runtimeWith(fakeContainer(() => fakeProcess(['added 5\n'], 0)));
		await runtime.install();
		expect(statuses()).toEqual(['booting', 'idle', 'installing', 'idle']);
	});
});

describe('dev server', () => {
	const URL = 'https://abc--5173--local-credentialless.webcontainer-api.io';

	test('start resolves with the server-ready URL; an exit stops it', async () => {
		const container = fakeContainer(() => fakeProcess(['VITE ready\n']));
		const { runtime, statuses } = runtimeWith(container, {
			env: backendEnv('http://127.0.0.1:3210')
		});
		const started = runtime.start();
		await flush();
		const dev = container.spawned[0];
		expect(dev.args).toEqual(['-c', PROJECT_COMMANDS.dev.replace('$PORT', String(DEV_PORT))]);
		expect(dev.env).toMatchObject({
			PORT: '5173',
			VITE_CONVEX_URL: 'http://127.0.0.1:3210',
			PUBLIC_CONVEX_URL: 'http://127.0.0.1:3210'
		});
		container.serverReady(3000, 'https://other-port'); // some other server: not ours
		container.serverReady(DEV_PORT, URL);
		await expect(started).resolves.toBe(URL);
		expect(runtime.status).toEqual({ phase: 'ready', url: URL });

		dev.process.end(1);
		await flush();
		expect(runtime.status).toEqual({ phase: 'stopped', reason: 'The dev server exited (code 1).' });
		expect(statuses()).toEqual(['booting', 'idle', 'starting', 'ready', 'stopped']);
	});

	test('a dev server that exits before it is ready fails the start with its output', async () => {
		const container = fakeContainer(() => fakeProcess(['Error: Cannot find module vite\n'], 1));
		const { runtime } = runtimeWith(container);
		await expect(runtime.start()).rejects.toThrow(
			'The dev server exited (code 1).\nError: Cannot find module vite'
		);
		expect(runtime.status.phase).toBe('stopped');
	});

	test('start again replaces the running server; stop kills it', async () => {
		const container = fakeContainer(() => fakeProcess([]));
		const { runtime } = runtimeWith(container);
		const first = runtime.start();
		await flush();
		container.serverReady(DEV_PORT, URL);
		await first;

		const second = runtime.start();
		await flush();
		expect(container.spawned[0].process.kill).toHaveBeenCalled();
		container.serverReady(DEV_PORT, URL);
		await expect(second).resolves.toBe(URL);

		await runtime.stop();
		expect(container.spawned[1].process.kill).toHaveBeenCalled();
		expect(runtime.status).toEqual({ phase: 'stopped', reason: 'Stopped.' });
	});

	test('dispose stops the server and tears the container down', async () => {
		const container = fakeContainer(() => fakeProcess([]));
		const { runtime } = runtimeWith(container);
		const started = runtime.start();
		await flush();
		await runtime.dispose();
		await expect(started).rejects.toThrow('disposed');
		expect(container.spawned[0].process.kill).toHaveBeenCalled();
		expect(container.torndown).toBe(true);
		await expect(runtime.exec('ls')).rejects.toThrow('disposed');
	});
});
