// Loads a convex/ functions folder the way `import.meta.glob('../convex/**/*.*s')` would
// present it to convex-test, and answers which public functions it exports.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SchemaDefinition, GenericSchema } from 'convex/server';

export type FunctionKind = 'query' | 'mutation' | 'action';

export type ModuleLoader = () => Promise<Record<string, unknown>>;

export interface ConvexApp {
	schema: SchemaDefinition<GenericSchema, boolean>;
	/** Keys shaped like `../convex/messages.ts`, as convex-test expects. */
	modules: Record<string, ModuleLoader>;
	/** The kind of a public function, or a message saying why it cannot be called. */
	resolvePublic(udfPath: string): Promise<{ kind: FunctionKind } | { error: string }>;
	/** The same for any function, internal ones too (what an admin key may call). */
	resolveAny(udfPath: string): Promise<{ kind: FunctionKind } | { error: string }>;
}

type FunctionExport = {
	isPublic?: boolean;
	isInternal?: boolean;
	isQuery?: boolean;
	isMutation?: boolean;
	isAction?: boolean;
};

/** A module's function by udf path (`module:export`), and its kind. */
export async function resolveIn(
	byModulePath: Map<string, ModuleLoader>,
	udfPath: string,
	allowInternal: boolean
): Promise<{ kind: FunctionKind } | { error: string }> {
	const notFound = {
		error: `Could not find ${allowInternal ? '' : 'public '}function for '${udfPath}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`
	};
	const [rawModule, exportName = 'default'] = udfPath.split(':');
	const modulePath = rawModule.replace(SOURCE, '');
	const load = byModulePath.get(modulePath);
	if (load === undefined || modulePath.startsWith('_generated/')) return notFound;
	const fn = (await load())[exportName] as FunctionExport | undefined;
	if (fn === undefined || fn === null) return notFound;
	if (fn.isPublic !== true && !(allowInternal && fn.isInternal === true)) return notFound;
	const kind: FunctionKind | null = fn.isQuery
		? 'query'
		: fn.isMutation
			? 'mutation'
			: fn.isAction
				? 'action'
				: null;
	return kind === null ? notFound : { kind };
}

/** Module loaders of a functions folder, keyed by module path without extension. */
export function modulesByPath(root: string): Map<string, ModuleLoader> {
	const byModulePath = new Map<string, ModuleLoader>();
	for (const file of listSources(root)) {
		const rel = relative(root, file).split(sep).join('/');
		byModulePath.set(rel.replace(SOURCE, ''), () => import(pathToFileURL(file).href));
	}
	return byModulePath;
}

const SOURCE = /\.(ts|js|mts|mjs|cts|cjs)$/;

export function listSources(root: string): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			if (name === 'node_modules' || name.startsWith('.')) continue;
			const path = join(dir, name);
			if (statSync(path).isDirectory()) {
				walk(path);
			} else if (SOURCE.test(name) && !/\.d\.[mc]?ts$/.test(name) && !name.startsWith('tsconfig')) {
				found.push(path);
			}
		}
	};
	walk(root);
	return found.sort();
}

export async function loadConvexApp(convexDir: string): Promise<ConvexApp> {
	const files = listSources(convexDir);
	const modules: Record<string, ModuleLoader> = {};
	const byModulePath = new Map<string, ModuleLoader>();
	for (const file of files) {
		const rel = relative(convexDir, file).split(sep).join('/');
		const load: ModuleLoader = () => import(pathToFileURL(file).href);
		modules[`../convex/${rel}`] = load;
		byModulePath.set(rel.replace(SOURCE, ''), load);
	}
	if (![...byModulePath.keys()].some((path) => path.startsWith('_generated/'))) {
		throw new Error(
			`${convexDir} has no _generated/ folder: run \`npx convex codegen\` for it first.`
		);
	}
	const schemaModule = byModulePath.get('schema');
	if (schemaModule === undefined) throw new Error(`${convexDir} has no schema.ts`);
	const schema = (await schemaModule()).default as SchemaDefinition<GenericSchema, boolean>;

	return {
		schema,
		modules,
		resolvePublic: (udfPath) => resolveIn(byModulePath, udfPath, false),
		resolveAny: (udfPath) => resolveIn(byModulePath, udfPath, true)
	};
}
