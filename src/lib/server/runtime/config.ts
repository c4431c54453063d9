// The local runtime's settings, read from the server's environment. It runs generated code
// on this machine, so it is off unless the operator turns it on (LOCAL_RUNTIME=1).
import { env } from '$env/dynamic/private';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

function positive(value: string | undefined, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function runtimeConfig() {
	return {
		enabled: env.LOCAL_RUNTIME === '1',
		/**
		 * Work dirs (projects/<id>) and the dependency cache (deps/<hash>) live here: outside
		 * the builder's own folder, where the builder's dev server would watch them.
		 */
		root: resolve(env.LOCAL_RUNTIME_DIR || join(tmpdir(), 'appbuilder-local-runtime')),
		maxRuntimes: positive(env.LOCAL_RUNTIME_MAX, 3),
		idleMs: positive(env.LOCAL_RUNTIME_IDLE_MS, 15 * 60_000),
		installTimeoutMs: positive(env.LOCAL_RUNTIME_INSTALL_TIMEOUT_MS, 5 * 60_000),
		startTimeoutMs: positive(env.LOCAL_RUNTIME_START_TIMEOUT_MS, 60_000)
	};
}

export type RuntimeConfig = ReturnType<typeof runtimeConfig>;
