// The local runtimes of this server process: at most one per project, at most
// `maxRuntimes` running at once, and stopped after `idleMs` without a browser attached.
import { runtimeConfig } from './config';
import { LocalProjectRuntime, workDirFor } from './projectRuntime';
import { stopWarmBackend } from './appBackend';
import { stopWarmVites } from './warmVite';

// Kept on globalThis: the dev server reloads server modules, and the runtimes (with their
// processes) must outlive a reload of this module.
const state = globalThis as typeof globalThis & {
	__appbuilderRuntimes?: Map<string, LocalProjectRuntime>;
};
const runtimes = (state.__appbuilderRuntimes ??= new Map());
let sweeper: ReturnType<typeof setInterval> | null = null;

export class RuntimeLimitError extends Error {}

export function findRuntime(projectId: string): LocalProjectRuntime | undefined {
	return runtimes.get(projectId);
}

export function getRuntime(projectId: string): LocalProjectRuntime {
	const existing = runtimes.get(projectId);
	if (existing) return existing;
	const config = runtimeConfig();
	const running = [...runtimes.values()].filter((r) => r.running);
	if (running.length >= config.maxRuntimes) {
		// Make room from the least recently used runtime nobody is watching.
		const unwatched = running
			.filter((r) => r.listenerCount === 0)
			.sort((a, b) => a.lastUsed - b.lastUsed)[0];
		if (!unwatched) {
			throw new RuntimeLimitError(
				`${config.maxRuntimes} previews are running on this server, the most it allows. Close another project's preview and try again.`
			);
		}
		void disposeRuntime(unwatched.projectId);
	}
	const runtime = new LocalProjectRuntime(projectId, workDirFor(config.root, projectId), config);
	runtimes.set(projectId, runtime);
	startSweeper(config.idleMs);
	return runtime;
}

async function disposeRuntime(projectId: string) {
	const runtime = runtimes.get(projectId);
	runtimes.delete(projectId);
	await runtime?.dispose();
}

function startSweeper(idleMs: number) {
	if (sweeper) return;
	sweeper = setInterval(
		() => {
			for (const runtime of runtimes.values()) {
				if (runtime.listenerCount === 0 && Date.now() - runtime.lastUsed > idleMs) {
					void disposeRuntime(runtime.projectId);
				}
			}
		},
		Math.min(idleMs, 60_000)
	);
	sweeper.unref();
}

/** Stops everything: the server is shutting down. */
export async function disposeAllRuntimes() {
	await Promise.all([
		...[...runtimes.keys()].map(disposeRuntime),
		stopWarmVites(),
		stopWarmBackend()
	]);
}
