// The commands a runtime runs in a project. They are npm scripts every template provides
// (and the agent is told to keep), so any project, whether from a template, a remix or an
// imported zip, runs the same way in WebContainer and in the local runtime.

export const PROJECT_COMMANDS = {
	install: 'npm install --no-audit --no-fund',
	/** `$PORT` is replaced by the port the runtime chose. */
	dev: 'npm run dev -- --host 127.0.0.1 --port $PORT --strictPort',
	typecheck: 'npm run check',
	codegen: 'npm run convex:codegen',
	build: 'npm run build'
} as const;

/** The arguments the dev command hands the dev script (the local runtime runs the script itself). */
export function devServerArgs(port: number): string[] {
	return ['--host', '127.0.0.1', '--port', String(port), '--strictPort'];
}

export type CheckName = 'typecheck' | 'codegen' | 'build';

export const CHECK_NAMES: readonly CheckName[] = ['codegen', 'typecheck', 'build'];

/** Environment variables through which a generated app finds its Convex backend. */
export function backendEnv(convexUrl: string): Record<string, string> {
	return { VITE_CONVEX_URL: convexUrl, PUBLIC_CONVEX_URL: convexUrl };
}

/** An npm package spec the agent may add: a name, optionally scoped, with an optional version. */
const PACKAGE_SPEC = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*(@[a-z0-9.^~<>=*|+ -]+)?$/i;

export function isPackageSpec(spec: string): boolean {
	return spec.length <= 214 && PACKAGE_SPEC.test(spec) && !/\s/.test(spec);
}

/**
 * Adds packages to package.json and package-lock.json only; the runtime then installs the new
 * lockfile the way it installs any other (for the local runtime, into its shared cache).
 */
export function addPackagesCommand(packages: string[], dev: boolean): string {
	const bad = packages.find((p) => !isPackageSpec(p));
	if (bad !== undefined) throw new Error(`"${bad}" is not an npm package name.`);
	if (packages.length === 0) throw new Error('Name at least one package to install.');
	return `${ADD_PACKAGES} ${dev ? '--save-dev ' : ''}${packages.join(' ')}`;
}

const ADD_PACKAGES = 'npm install --no-audit --no-fund --package-lock-only --save-exact';

/**
 * Whether a runtime that takes commands over the network may run `command`: the project
 * commands and adding packages, nothing else. No shell syntax can pass.
 */
export function isAllowedCommand(command: string): boolean {
	if ((Object.values(PROJECT_COMMANDS) as string[]).includes(command)) return true;
	if (!command.startsWith(`${ADD_PACKAGES} `)) return false;
	const specs = command.slice(ADD_PACKAGES.length + 1).replace(/^--save-dev /, '');
	return specs.length > 0 && specs.split(' ').every(isPackageSpec);
}
