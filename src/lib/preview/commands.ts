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

export function addPackagesCommand(packages: string[], dev: boolean): string {
	const bad = packages.find((p) => !isPackageSpec(p));
	if (bad !== undefined) throw new Error(`"${bad}" is not an npm package name.`);
	if (packages.length === 0) throw new Error('Name at least one package to install.');
	return `npm install --no-audit --no-fund --save-exact ${dev ? '--save-dev ' : ''}${packages.join(' ')}`;
}

/**
 * Whether a runtime that takes commands over the network may run `command`: the project
 * commands and adding packages, nothing else. No shell syntax can pass.
 */
export function isAllowedCommand(command: string): boolean {
	if ((Object.values(PROJECT_COMMANDS) as string[]).includes(command)) return true;
	const add = /^npm install --no-audit --no-fund --save-exact (--save-dev )?(.+)$/.exec(command);
	return add !== null && add[2].split(' ').every(isPackageSpec);
}
