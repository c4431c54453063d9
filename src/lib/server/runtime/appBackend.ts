// The generated app's Convex backend in local mode (the preview's, and the offline deploy
// target's): an emulator process that loads a convex/ folder of the project's. It keeps its
// data in memory, and says so in the log.
// The emulator is test and offline infrastructure in tests/harness; it runs as a process of
// its own (started with tsx from the builder's checkout) and is never imported here.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shellQuote, spawnShell, type RunningProcess } from './processes';

const EMULATOR_MAIN = resolve('tests/harness/emulator/main.ts');
const READY = /EMULATOR_READY url=(\S+)/;

export interface AppBackend {
	url: string;
	process: RunningProcess;
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
	const command = [
		shellQuote(process.execPath),
		'--import tsx',
		shellQuote(EMULATOR_MAIN),
		'--convex-dir',
		shellQuote(convexDir),
		`--port ${ports.api} --site-port ${ports.site} --parent-pid ${process.pid}`,
		...(adminKey ? [`--admin-key ${shellQuote(adminKey)}`] : [])
	].join(' ');
	let output = '';
	let resolveUrl: (url: string) => void = () => undefined;
	const ready = new Promise<string>((r) => (resolveUrl = r));
	const proc = spawnShell(command, {
		// tsx is the builder's own dependency.
		cwd: process.cwd(),
		// The app's variables, for its functions' process.env (kept off the command line).
		env:
			env && Object.keys(env).length > 0 ? { CONVEX_EMULATOR_ENV_JSON: JSON.stringify(env) } : {},
		onOutput(text) {
			output += text;
			onOutput(text);
			const match = READY.exec(output);
			if (match) resolveUrl(match[1]);
		}
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
