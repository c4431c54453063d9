// Registers the Convex components an app's convex.config.ts uses (and the components those
// use, recursively) with convex-test, loading each component's TypeScript sources from its
// package the way the packages' own `register(t)` helpers do with import.meta.glob, which
// plain Node does not have.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestConvex } from 'convex-test';
import type { GenericSchema, SchemaDefinition } from 'convex/server';
import { listSources, modulesByPath, type ModuleLoader } from './modules';

interface ComponentUse {
	name: string;
	/** The folder holding the component's convex.config.ts, schema.ts and functions. */
	sourceDir: string;
}

/** Components used by the convex.config.ts in `dir`, if there is one. */
function componentsUsedIn(dir: string): ComponentUse[] {
	const configPath = resolve(dir, 'convex.config.ts');
	if (!existsSync(configPath)) return [];
	const source = readFileSync(configPath, 'utf8');
	const require = createRequire(configPath);
	const imports = new Map(
		[...source.matchAll(/import\s+(\w+)\s+from\s+['"](.+?\/convex\.config(?:\.js)?)['"]/g)].map(
			(m) => [m[1], m[2]]
		)
	);
	return [...source.matchAll(/\.use\(\s*(\w+)\s*(?:,\s*\{\s*name:\s*['"](\w+)['"]\s*\})?/g)].map(
		(m) => {
			const specifier = imports.get(m[1]);
			if (!specifier) throw new Error(`${configPath}: no import for ${m[1]}`);
			return { name: m[2] ?? m[1], sourceDir: componentSourceDir(require.resolve(specifier)) };
		}
	);
}

/** A component package ships its TypeScript sources in src/component beside dist/. */
function componentSourceDir(resolvedConfig: string): string {
	let dir = dirname(resolvedConfig);
	while (!existsSync(join(dir, 'package.json'))) {
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`no package.json above ${resolvedConfig}`);
		dir = parent;
	}
	const sourceDir = join(dir, 'src', 'component');
	if (!existsSync(join(sourceDir, 'schema.ts'))) {
		throw new Error(`${dir} ships no src/component/schema.ts to run the component from`);
	}
	return sourceDir;
}

/**
 * Registers the components and returns their modules by component path (`staticHosting`,
 * `agent/rateLimiter`), for calls an admin key makes into a component.
 */
export async function registerAppComponents(
	t: TestConvex<never>,
	convexDir: string
): Promise<Map<string, Map<string, ModuleLoader>>> {
	const registered = new Map<string, Map<string, ModuleLoader>>();
	const register = async (uses: ComponentUse[], prefix: string) => {
		for (const use of uses) {
			const path = prefix ? `${prefix}/${use.name}` : use.name;
			const modules: Record<string, () => Promise<unknown>> = {};
			for (const file of listSources(use.sourceDir)) {
				if (/\.test\.[mc]?[jt]s$/.test(file)) continue;
				const rel = file.slice(use.sourceDir.length + 1).replaceAll('\\', '/');
				modules[`./component/${rel}`] = () => import(pathToFileURL(file).href);
			}
			const schemaModule = (await import(pathToFileURL(join(use.sourceDir, 'schema.ts')).href)) as {
				default: SchemaDefinition<GenericSchema, boolean>;
			};
			(t as unknown as TestConvex<SchemaDefinition<GenericSchema, boolean>>).registerComponent(
				path,
				schemaModule.default,
				modules
			);
			registered.set(path, modulesByPath(use.sourceDir));
			await register(componentsUsedIn(use.sourceDir), path);
		}
	};
	await register(componentsUsedIn(convexDir), '');
	return registered;
}
