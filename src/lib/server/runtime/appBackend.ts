// The generated app's Convex backend in local mode (the preview's, and the offline deploy
// target's): an emulator process that loads a convex/ folder of the project's. It keeps its
// data in memory, and says so in the log.
// The emulator is test and offline infrastructure in tests/harness; it runs as a process of
// its own (started with tsx from the builder's checkout) and is never imported here.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shellQuote, spawnShell, type RunningProcess } from './processes';
import { spawnStandby, type Standby } from './standby';

const EMULATOR_MAIN = resolve('tests/harness/emulator/main.ts');
const READY = /EMULATOR_READY url=(\S+)/;

export interface AppBackend {
	url: string;
	process: RunningProcess;
}

function emulatorCommand(args: string[]): string {
	return [process.execPath, '--import', 'tsx', EMULATOR_MAIN, ...args].map(shellQuote).join(' ');
}

// One emulator kept loaded (tsx, the emulator, Convex's libraries: about a second of a start)
// for the next app backend. Kept on globalThis, like the runtimes, across module reloads.
const warm = globalThis as typeof globalThis & { __appbuilderWarmBackend?: Standby };

function takeWarmBackend(
	job: { args: string[]; env: Record<string, string> },
	onOutput: (text: string) => void
) {
	const standby = warm.__appbuilderWarmBackend;
	warm.__appbuilderWarmBackend = undefined;
	return standby?.take(job, onOutput) ?? null;
}

/** Readies an emulator for the next app backend, unless one waits already. */
export function prepareWarmBackend() {
	if (warm.__appbuilderWarmBackend?.waiting || !existsSync(EMULATOR_MAIN)) return;
	warm.__appbuilderWarmBackend = spawnStandby(emulatorCommand(['--standby']), process.cwd());
}

/** Whether an emulator waits for the next app backend (for tests). */
export function warmBackendWaiting(): boolean {
	return warm.__appbuilderWarmBackend?.waiting ?? false;
}

/** Stops the waiting emulator: the server is shutting down. */
export async function stopWarmBackend() {
	const standby = warm.__appbuilderWarmBackend;
	warm.__appbuilderWarmBackend = undefined;
	if (standby) await standby.process.kill();
}

export function canRunAppBackend(workDir: string): boolean {
	return existsSync(join(workDir, 'convex', 'schema.ts')) && existsSync(EMULATOR_MAIN);
}

/**
 * Starts the emulator for `convexDir` on fixed ports (the app's bundle holds its backend's
 * URL). With `adminKey`, the Convex CLI can call it as a deployment's admin (`convex run`);
 * `env` is what the app's functions find in process.env.
 */
export async function startAppBackend(
	convexDir: string,
	ports: { api: number; site: number },
	onOutput: (text: string) => void,
	{
		timeoutMs = 30_000,
		adminKey,
		env
	}: { timeoutMs?: number; adminKey?: string; env?: Record<string, string> } = {}
): Promise<AppBackend> {
	const args = [
		...['--convex-dir', convexDir],
		...['--port', String(ports.api), '--site-port', String(ports.site)],
		...['--parent-pid', String(process.pid)],
		// Its 90-column banner wraps into noise in a log panel; the runtime says the same in a line.
		'--quiet',
		...(adminKey ? ['--admin-key', adminKey] : [])
	];
	let output = '';
	let resolveUrl: (url: string) => void = () => undefined;
	const ready = new Promise<string>((r) => (resolveUrl = r));
	const onProcessOutput = (text: string) => {
		output += text;
		onOutput(text);
		const match = READY.exec(output);
		if (match) resolveUrl(match[1]);
	};
	const appEnv = env ?? {};
	const proc =
		takeWarmBackend({ args, env: appEnv }, onProcessOutput) ??
		spawnShell(emulatorCommand(args), {
			// tsx is the builder's own dependency.
			cwd: process.cwd(),
			// The app's variables, for its functions' process.env (kept off the command line).
			env:
				Object.keys(appEnv).length > 0 ? { CONVEX_EMULATOR_ENV_JSON: JSON.stringify(appEnv) } : {},
			onOutput: onProcessOutput
		});
	let timer: ReturnType<typeof setTimeout> | undefined;
	const failed = new Promise<never>((_, reject) => {
		void proc.exited.then((code) =>
			reject(new Error(`The app's Convex backend exited (code ${code}) before it was ready.`))
		);
		timer = setTimeout(
			() =>
				reject(new Error(`The app's Convex backend did not start within ${timeoutMs / 1000} s.`)),
			timeoutMs
		);
	});
	failed.catch(() => undefined); // a later exit is reported by the caller, not as unhandled
	try {
		const url = await Promise.race([ready, failed]);
		return { url, process: proc };
	} catch (error) {
		await proc.kill();
		throw error;
	} finally {
		clearTimeout(timer);
	}
}
