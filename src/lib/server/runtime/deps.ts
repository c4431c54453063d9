// Dependencies are installed once per distinct package.json + lockfile into a shared cache,
// then linked into each work dir entry by entry. The work dir keeps a node_modules folder of
// its own, so per-project caches (Vite's node_modules/.vite) never collide.
// The runtime modules import relatively (not $lib) where they can: scripts/thumbnails.ts and
// the e2e global setup load them outside SvelteKit.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_COMMANDS } from '../../preview/commands';
import { runToEnd } from './processes';
import { dropWarmVite } from './warmVite';

/** The files that decide a project's dependencies. */
export const MANIFESTS = ['package.json', 'package-lock.json'];
/** Written last: a cache dir without it is an interrupted install and is redone. */
const COMPLETE = '.install-complete';
/** In a work dir's node_modules: the dependency key it was linked for. */
const LINKED_KEY = '.linked-dependencies';
/** Never shared between work dirs: per-project build caches. */
const UNSHARED = new Set(['.vite', '.cache', '.svelte-kit']);

const installing = new Map<string, Promise<string>>();

export async function dependencyKey(workDir: string): Promise<string> {
	const hash = createHash('sha256');
	for (const name of MANIFESTS) {
		const path = join(workDir, name);
		hash.update(`${name}\0${existsSync(path) ? await readFile(path) : ''}\0`);
	}
	return hash.digest('hex').slice(0, 24);
}

/** Where the dependencies of key `key` are installed. */
export function cacheDirFor(root: string, key: string): string {
	return join(root, 'deps', key);
}

export interface InstallOutcome {
	cached: boolean;
	cacheDir: string;
}

/** Makes `workDir/node_modules` hold the project's dependencies, installing them if needed. */
export async function installDependencies(
	root: string,
	workDir: string,
	opts: { timeoutMs: number; onOutput: (text: string) => void }
): Promise<InstallOutcome> {
	if (!existsSync(join(workDir, 'package.json'))) {
		throw new Error('The project has no package.json, so there is nothing to install.');
	}
	const key = await dependencyKey(workDir);
	const cacheDir = cacheDirFor(root, key);
	const cached = existsSync(join(cacheDir, COMPLETE));
	if (!cached) {
		let job = installing.get(key);
		if (!job) {
			job = installInto(cacheDir, workDir, opts).finally(() => installing.delete(key));
			installing.set(key, job);
		} else {
			opts.onOutput('Another project is installing the same dependencies; waiting for it…\n');
		}
		await job;
	} else {
		opts.onOutput('Dependencies are cached; linking them.\n');
	}
	await linkModules(join(cacheDir, 'node_modules'), join(workDir, 'node_modules'));
	await writeFile(join(workDir, 'node_modules', LINKED_KEY), key);
	return { cached, cacheDir };
}

/**
 * The dependency key of the work dir's current package.json and lockfile when its node_modules
 * were linked for exactly those (they outlive the runtime that linked them: an idle shutdown,
 * a restart of the builder); null when they must be installed.
 */
export async function linkedDependencyKey(workDir: string): Promise<string | null> {
	const linked = await readFile(join(workDir, 'node_modules', LINKED_KEY), 'utf8').catch(
		() => null
	);
	if (linked === null) return null;
	return linked === (await dependencyKey(workDir)) ? linked : null;
}

async function installInto(
	cacheDir: string,
	workDir: string,
	opts: { timeoutMs: number; onOutput: (text: string) => void }
): Promise<string> {
	// A warm dev server process of an interrupted install would run the old files.
	await dropWarmVite(cacheDir);
	await rm(cacheDir, { recursive: true, force: true });
	await mkdir(cacheDir, { recursive: true });
	for (const name of MANIFESTS) {
		const from = join(workDir, name);
		if (existsSync(from)) await writeFile(join(cacheDir, name), await readFile(from));
	}
	const npmrc = join(workDir, '.npmrc');
	if (existsSync(npmrc)) await writeFile(join(cacheDir, '.npmrc'), await readFile(npmrc));
	opts.onOutput(`$ ${PROJECT_COMMANDS.install}\n`);
	const result = await runToEnd(PROJECT_COMMANDS.install, {
		cwd: cacheDir,
		timeoutMs: opts.timeoutMs,
		onOutput: opts.onOutput
	});
	if (result.exitCode !== 0) {
		throw new Error(`Installing dependencies failed (exit ${result.exitCode}).\n${result.output}`);
	}
	await writeFile(join(cacheDir, COMPLETE), new Date().toISOString());
	return cacheDir;
}

async function linkModules(from: string, to: string) {
	await mkdir(to, { recursive: true });
	// The work dir's own caches stay: Vite's optimized dependencies survive a relink (Vite
	// itself notices when the lockfile changed).
	for (const name of await readdir(to)) {
		if (!UNSHARED.has(name)) await rm(join(to, name), { recursive: true, force: true });
	}
	if (!existsSync(from)) return;
	for (const name of await readdir(from)) {
		if (UNSHARED.has(name)) continue;
		await symlink(join(from, name), join(to, name));
	}
}
