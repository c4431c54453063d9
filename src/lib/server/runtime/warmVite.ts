// Warm dev server processes. Starting `vite dev` spends about two seconds of a two-core
// machine loading Vite, TypeScript, the Svelte compiler and Tailwind before it reads the
// project at all, and a reopened project waits on it. So once a project's dev server runs, the
// runtime keeps one Node process per dependency cache with those packages already loaded;
// the next dev server for the same dependencies (a reopen after the idle shutdown, a restart, a
// new project from the same template) takes it over and only reads its own project.
//
// Only packages that read nothing of their surroundings when loaded are preloaded: the warm
// process changes to the project's folder and takes its environment only when it is taken.
// SvelteKit's Vite plugin notes the working directory when loaded, so it is not among them.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shellQuote, type RunningProcess } from './processes';
import { spawnStandby, type Standby } from './standby';

/** Loaded ahead, where the dependencies have them. */
const PRELOADED = [
	'vite',
	'typescript',
	'svelte/compiler',
	'@sveltejs/vite-plugin-svelte',
	'@tailwindcss/vite'
];
const PRELOAD_FILE = 'warm-vite-preload.mjs';
/** Read from the checkout, like the emulator: the builder runs from it (see appBackend.ts). */
const STANDBY_JOB = resolve('src/lib/server/runtime/standbyJob.mjs');
/** Dependency caches that keep a warm process (each holds a Node process's memory). */
const MAX_WARM = 2;
/** A dev script the warm process can stand in for: Vite's own dev server and its options. */
const VITE_DEV_SCRIPT = /^vite(?:\s+(?:dev|serve))?((?:\s+[\w@%+=:,./-]+)*)\s*$/;

/**
 * Runs with the dependency cache as its working directory, loads the preload file, then waits
 * for one line on stdin, `{ cwd, env, args }`, and becomes `vite <args>` in `cwd`.
 */
const STANDBY = `
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readJob } from ${JSON.stringify(pathToFileURL(STANDBY_JOB).href)};
const deps = process.cwd();
process.title = 'vite (warm) ' + deps;
const loaded = import(pathToFileURL(join(deps, ${JSON.stringify(PRELOAD_FILE)})).href).catch(() => {});
const { cwd, env, args } = await readJob();
await loaded;
process.chdir(cwd);
Object.assign(process.env, env);
const bin = join(deps, 'node_modules', 'vite', 'bin', 'vite.js');
process.argv = [process.execPath, bin, ...args];
process.title = ['vite', ...args].join(' ');
await import(pathToFileURL(bin).href);
`;

const state = globalThis as typeof globalThis & { __appbuilderWarmVite?: Map<string, Standby> };
/** By dependency cache dir, oldest first. */
const standbys = (state.__appbuilderWarmVite ??= new Map());

/** The Vite arguments a dev script stands for, or null when it is not plain `vite [dev]`. */
export function viteDevArgs(script: string): string[] | null {
	const match = VITE_DEV_SCRIPT.exec(script.trim());
	if (!match) return null;
	const options = match[1].split(/\s+/).filter(Boolean);
	// Another command (`vite build`) or a root folder: not a plain dev server.
	if (options.length > 0 && !options[0].startsWith('-')) return null;
	return ['dev', ...options];
}

/**
 * The dev server for `workDir` as a warm process of `cacheDir`, already started with `args`
 * and printing to `onOutput`; null when no warm process waits for those dependencies.
 */
export function takeWarmVite(
	cacheDir: string,
	opts: {
		workDir: string;
		args: string[];
		env: Record<string, string>;
		onOutput: (text: string) => void;
	}
): RunningProcess | null {
	const standby = standbys.get(cacheDir);
	if (!standby) return null;
	standbys.delete(cacheDir);
	return standby.take({ cwd: opts.workDir, env: opts.env, args: opts.args }, opts.onOutput);
}

/** Starts a warm process for `cacheDir` unless one waits already (or it has no Vite). */
export async function prepareWarmVite(cacheDir: string) {
	if (standbys.has(cacheDir)) return;
	if (!existsSync(join(cacheDir, 'node_modules', 'vite', 'bin', 'vite.js'))) return;
	const imports = PRELOADED.map((name) => `\timport(${JSON.stringify(name)}),`).join('\n');
	await writeFile(
		join(cacheDir, PRELOAD_FILE),
		`// The builder's warm dev server processes load these ahead (src/lib/server/runtime/warmVite.ts).\nawait Promise.allSettled([\n${imports}\n]);\n`
	);
	if (standbys.has(cacheDir)) return;
	const standby = spawnStandby(
		`exec ${shellQuote(process.execPath)} --input-type=module -e ${shellQuote(STANDBY)}`,
		cacheDir
	);
	standbys.set(cacheDir, standby);
	void standby.process.exited.then(() => {
		if (standbys.get(cacheDir) === standby) standbys.delete(cacheDir);
	});
	for (const [dir, old] of standbys) {
		if (standbys.size <= MAX_WARM) break;
		standbys.delete(dir);
		void old.process.kill();
	}
}

/** Stops the warm process of `cacheDir`, whose dependencies are about to be installed anew. */
export async function dropWarmVite(cacheDir: string) {
	const standby = standbys.get(cacheDir);
	standbys.delete(cacheDir);
	await standby?.process.kill();
}

/** How many warm processes wait (for tests). */
export function warmViteCount() {
	return standbys.size;
}

/** Stops every warm process: the server is shutting down. */
export async function stopWarmVites() {
	const all = [...standbys.values()];
	standbys.clear();
	await Promise.all(all.map((s) => s.process.kill()));
}
