// Loads what `npx convex deploy` pushes (the CLI's esbuild bundles of the app and of each
// component) into convex-test. The bundles are written to a folder with their own paths, so
// their imports of shared chunks (`./_deps/…`) resolve as in Convex's runtime; the imports of
// component definitions (`./_componentDeps/<base64 path>`), which Convex's runtime answers
// itself, get small modules carrying the definition's path and name.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestConvex } from 'convex-test';
import type { GenericSchema, SchemaDefinition } from 'convex/server';
import type { ConvexApp, ModuleLoader } from './modules';
import { resolveIn } from './modules';

/** One bundled module of a push request (`changedModules`, `definition`, `schema`). */
interface PushedModule {
	path: string;
	source: string;
	sourceMap?: string | null;
}

interface PushedDefinition {
	definition: PushedModule | null;
	schema: PushedModule | null;
	/** Definition paths of the components this definition uses. */
	dependencies?: string[];
}

export interface PushRequest {
	appDefinition: PushedDefinition & {
		changedModules: PushedModule[];
		unchangedModuleHashes?: unknown[];
	};
	componentDefinitions: (PushedDefinition & {
		definitionPath: string;
		functions: PushedModule[];
	})[];
}

type AnySchema = SchemaDefinition<GenericSchema, boolean>;

/** A component mounted in the app: its path in the tree and its definition's folder. */
interface MountedComponent {
	componentPath: string;
	definitionPath: string;
	dir: string;
}

export interface PushedApp {
	app: ConvexApp;
	/** The component tree, as start_push answers it to the CLI. */
	tree: CheckedComponent;
	/** Registers the components with a fresh convex-test; their modules by component path. */
	registerComponents(t: TestConvex<never>): Map<string, Map<string, ModuleLoader>>;
}

export interface CheckedComponent {
	definitionPath: string;
	componentPath: string;
	args: Record<string, never>;
	childComponents: Record<string, CheckedComponent>;
	httpRoutes: { httpModuleRoutes: null; mounts: string[] };
	exports: Record<string, never>;
}

export class PushRejected extends Error {}

/**
 * Writes the push's bundles under `dir` and imports them. Throws PushRejected with a message
 * for the CLI when a bundle is missing or fails to evaluate, as Convex rejects such a push.
 */
export async function loadPush(request: PushRequest, dir: string): Promise<PushedApp> {
	if ((request.appDefinition.unchangedModuleHashes ?? []).length > 0) {
		// get_config_hashes reports no modules, so the CLI always sends every one.
		throw new PushRejected('This emulator needs every module in each push.');
	}
	const dirs = new Map<string, string>([['', join(dir, 'app')]]);
	request.componentDefinitions.forEach((component, i) => {
		dirs.set(component.definitionPath, join(dir, `component-${i}`));
	});
	const byPath = new Map(request.componentDefinitions.map((c) => [c.definitionPath, c]));
	writeDefinition(dirs.get('')!, request.appDefinition, request.appDefinition.changedModules);
	for (const component of request.componentDefinitions) {
		writeDefinition(dirs.get(component.definitionPath)!, component, component.functions);
	}

	// `app.use(component)` names the mount after the component's own defineComponent(name), so
	// each definition's references are written once the definitions it uses have been read.
	const names = new Map<string, string>();
	const nameOf = async (definitionPath: string, seen: string[]): Promise<string> => {
		const known = names.get(definitionPath);
		if (known !== undefined) return known;
		if (seen.includes(definitionPath)) {
			throw new PushRejected(`Components use each other in a cycle: ${seen.join(' → ')}`);
		}
		const component = byPath.get(definitionPath);
		if (component === undefined) {
			throw new PushRejected(`The push has no definition for the component ${definitionPath}.`);
		}
		const definition = await readDefinition(definitionPath, [...seen, definitionPath]);
		const name = (definition as { _name?: unknown } | null)?._name;
		if (typeof name !== 'string') {
			throw new PushRejected(`${definitionPath}/convex.config.js defines no component name.`);
		}
		names.set(definitionPath, name);
		return name;
	};
	const readDefinition = async (definitionPath: string, seen: string[]) => {
		const folder = dirs.get(definitionPath)!;
		const own = definitionPath === '' ? request.appDefinition : byPath.get(definitionPath)!;
		if (own.definition === null) return null;
		for (const used of own.dependencies ?? []) {
			const reference = { componentDefinitionPath: used, defaultName: await nameOf(used, seen) };
			const encoded = Buffer.from(used).toString('base64').replace(/=+$/, '');
			writeFile(
				join(folder, '_componentDeps', `${encoded}.js`),
				`export default ${JSON.stringify(reference)};\n`
			);
		}
		return (await importModule(folder, own.definition.path)).default;
	};
	await readDefinition('', []);

	const appDir = dirs.get('')!;
	const app = await loadFolder(appDir, request.appDefinition);
	const mounted: MountedComponent[] = [];
	const tree = await walkTree(appDir, '', '', dirs, mounted);
	const componentApps = new Map<
		string,
		{ schema: AnySchema; modules: PushedModule[]; dir: string }
	>();
	for (const mount of mounted) {
		const component = request.componentDefinitions.find(
			(c) => c.definitionPath === mount.definitionPath
		)!;
		componentApps.set(mount.componentPath, {
			schema: await importSchema(mount.dir, component.schema),
			modules: component.functions,
			dir: mount.dir
		});
	}
	return {
		app,
		tree,
		registerComponents(t) {
			const registered = new Map<string, Map<string, ModuleLoader>>();
			for (const [componentPath, component] of componentApps) {
				const { glob, byModulePath } = loaders(component.dir, component.modules);
				(t as unknown as TestConvex<AnySchema>).registerComponent(
					componentPath,
					component.schema,
					glob
				);
				registered.set(componentPath, byModulePath);
			}
			return registered;
		}
	};
}

function writeFile(path: string, text: string) {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
}

function writeDefinition(folder: string, definition: PushedDefinition, modules: PushedModule[]) {
	// The bundles are ES modules named .js.
	writeFile(join(folder, 'package.json'), '{ "type": "module" }\n');
	for (const module of [definition.definition, definition.schema, ...modules]) {
		if (!module) continue;
		writeFile(join(folder, module.path), module.source);
		// Stack traces then point into the app's own TypeScript.
		if (module.sourceMap) writeFile(join(folder, `${module.path}.map`), module.sourceMap);
	}
}

/** Module loaders for convex-test (keyed under a `_generated` sibling it looks for). */
function loaders(folder: string, modules: PushedModule[]) {
	const glob: Record<string, ModuleLoader> = {
		[`${folder}/_generated/api.js`]: async () => ({})
	};
	const byModulePath = new Map<string, ModuleLoader>();
	for (const module of modules) {
		if (module.path.startsWith('_deps/')) continue;
		const load: ModuleLoader = () => import(pathToFileURL(join(folder, module.path)).href);
		glob[`${folder}/${module.path}`] = load;
		byModulePath.set(module.path.replace(/\.js$/, ''), load);
	}
	return { glob, byModulePath };
}

async function importSchema(folder: string, schema: PushedModule | null): Promise<AnySchema> {
	if (schema === null) {
		// No schema.ts: every table is allowed, as on Convex.
		const { defineSchema } = await import('convex/server');
		return defineSchema({}, { strictTableNameTypes: false, schemaValidation: false });
	}
	return (await importModule(folder, schema.path)).default as AnySchema;
}

async function importModule(folder: string, path: string): Promise<Record<string, unknown>> {
	try {
		return await import(pathToFileURL(join(folder, path)).href);
	} catch (error) {
		throw new PushRejected(
			`Failed to analyze ${path}: ${error instanceof Error ? error.message : String(error)}`
		);
	}
}

async function loadFolder(
	folder: string,
	definition: PushedDefinition & { changedModules: PushedModule[] }
): Promise<ConvexApp> {
	const modules = definition.changedModules;
	const { glob, byModulePath } = loaders(folder, modules);
	// Evaluate every module now, so a push whose code throws at import time is rejected.
	for (const module of modules) {
		if (!module.path.startsWith('_deps/')) await importModule(folder, module.path);
	}
	const schema = await importSchema(folder, definition.schema);
	return {
		schema,
		modules: glob,
		resolvePublic: (udfPath) => resolveIn(byModulePath, udfPath, false),
		resolveAny: (udfPath) => resolveIn(byModulePath, udfPath, true)
	};
}

/** The component tree under the definition in `folder`, recording each mounted component. */
async function walkTree(
	folder: string,
	definitionPath: string,
	componentPath: string,
	dirs: Map<string, string>,
	mounted: MountedComponent[]
): Promise<CheckedComponent> {
	const childComponents: Record<string, CheckedComponent> = {};
	const definition = (await importModule(folder, 'convex.config.js').catch(() => null))?.default as
		{ _childComponents?: [string, { componentDefinitionPath: string }][] } | undefined;
	for (const [name, child] of definition?._childComponents ?? []) {
		const childFolder = dirs.get(child.componentDefinitionPath);
		if (childFolder === undefined) {
			throw new PushRejected(`The push has no definition for ${child.componentDefinitionPath}.`);
		}
		const childPath = componentPath ? `${componentPath}/${name}` : name;
		mounted.push({
			componentPath: childPath,
			definitionPath: child.componentDefinitionPath,
			dir: childFolder
		});
		childComponents[name] = await walkTree(
			childFolder,
			child.componentDefinitionPath,
			childPath,
			dirs,
			mounted
		);
	}
	return {
		definitionPath,
		componentPath,
		args: {},
		childComponents,
		httpRoutes: { httpModuleRoutes: null, mounts: [] },
		exports: {}
	};
}
