// Child processes of the local runtime. Each runs in a process group of its own, so stopping
// it also stops what it started (npm starts sh, which starts Vite: killing only npm leaves
// Vite holding the port).
import { spawn, type ChildProcess } from 'node:child_process';
import { stripAnsi } from '../../preview/ansi';

/** A shell word that stays one argument whatever it holds (for commands run by spawnShell). */
export function shellQuote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Keeps the last `max` characters: the end of a log says why a command failed. */
export function tail(text: string, max: number): string {
	return text.length <= max
		? text
		: `…(${text.length - max} earlier characters cut)\n` + text.slice(-max);
}

export interface RunningProcess {
	readonly child: ChildProcess;
	/** Resolves with the exit code (signals count as 1) once the process has exited. */
	readonly exited: Promise<number>;
	/** Stops the whole group: SIGTERM, then SIGKILL if it lingers. */
	kill(): Promise<number>;
}

export interface SpawnOptions {
	cwd: string;
	env?: Record<string, string>;
	onOutput?: (text: string) => void;
	/** 'pipe' gives the command a stdin to write to (through `child.stdin`); none by default. */
	stdin?: 'ignore' | 'pipe';
}

/** The server's variables a project's commands never get. */
const BUILDER_ONLY_ENV = ['NODE_ENV', 'DEPLOY_RUNNER_SECRET'];

/**
 * The environment of a project's commands: the server's, without its NODE_ENV (a builder
 * served in production mode has NODE_ENV=production, which would make npm skip the project's
 * devDependencies and the dev server run as production) and without the builder's own
 * secrets, which generated code has no business reading. CI=1 also keeps the Convex CLI from
 * starting Sentry, which would send crash reports about a person's project to Convex.
 */
function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };
	for (const name of BUILDER_ONLY_ENV) delete env[name];
	return { ...env, ...extra };
}

/**
 * Runs `sh -c <command>` under a small watchdog that leads the process group: when this server
 * process goes away, even by SIGKILL, the watchdog kills the group, so no dev server outlives
 * the builder and keeps its port.
 */
const WATCHDOG = `
const [parentPid, command] = process.argv.slice(-2);
const child = require('node:child_process').spawn('sh', ['-c', command], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
setInterval(() => {
	try { process.kill(Number(parentPid), 0); } catch { process.kill(-process.pid, 'SIGKILL'); }
}, 1000);
`;

/** How long a kill waits for the rest of the group once its leader has exited. */
const GROUP_EXIT_WAIT_MS = 2_000;

export function spawnShell(command: string, opts: SpawnOptions): RunningProcess {
	const child = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), command], {
		cwd: opts.cwd,
		env: projectEnv(opts.env),
		stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
		detached: true
	});
	const forward = (chunk: Buffer) => opts.onOutput?.(stripAnsi(chunk.toString('utf8')));
	child.stdout?.on('data', forward);
	child.stderr?.on('data', forward);
	const exited = new Promise<number>((resolve) => {
		child.on('error', (error) => {
			opts.onOutput?.(`${error.message}\n`);
			resolve(127);
		});
		child.on('exit', (code) => resolve(code ?? 1));
	});
	/** Signals the whole group; false when none of it is left. */
	const signal = (sig: NodeJS.Signals | 0): boolean => {
		if (child.pid === undefined) return false;
		try {
			process.kill(-child.pid, sig);
			return true;
		} catch {
			return false; // the group is already gone
		}
	};
	return {
		child,
		exited,
		async kill() {
			signal('SIGTERM');
			const timer = setTimeout(() => signal('SIGKILL'), 3_000);
			const code = await exited;
			clearTimeout(timer);
			// The watchdog leading the group is gone, but what it ran may still be shutting down
			// and holding its ports (the emulator's graceful stop takes a moment). Kill it, and wait
			// until it is gone: a warm process restarted on the same port listens within
			// milliseconds.
			signal('SIGKILL');
			for (let waited = 0; waited < GROUP_EXIT_WAIT_MS && signal(0); waited += 20) {
				await new Promise((r) => setTimeout(r, 20));
			}
			return code;
		}
	};
}

export interface RunResult {
	exitCode: number;
	output: string;
	timedOut: boolean;
}

/** Runs a command to its end, collecting (the tail of) its output. */
export async function runToEnd(
	command: string,
	opts: SpawnOptions & { timeoutMs: number; maxOutput?: number }
): Promise<RunResult> {
	let output = '';
	const max = opts.maxOutput ?? 20_000;
	const proc = spawnShell(command, {
		...opts,
		onOutput(text) {
			output = (output + text).slice(-max * 2);
			opts.onOutput?.(text);
		}
	});
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void proc.kill();
	}, opts.timeoutMs);
	const exitCode = await proc.exited;
	clearTimeout(timer);
	if (timedOut) output += `\n[stopped after ${Math.round(opts.timeoutMs / 1000)} s]\n`;
	return { exitCode: timedOut ? 124 : exitCode, output: tail(output, max), timedOut };
}
