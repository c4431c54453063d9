#!/usr/bin/env node
// Regenerates convex/_generated offline. `convex codegen` without a deployment leaves out the
// `components` export, so this adds it from convex/convex.config.ts. With --check, it
// regenerates, compares with what was on disk, restores it, and fails on any drift.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'convex/_generated';
const check = process.argv.includes('--check');

const snapshot = () =>
	existsSync(dir)
		? Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
		: {};

const before = snapshot();
execFileSync('npx', ['convex', 'codegen', '--system-udfs', '--init', '--typecheck', 'disable'], {
	stdio: ['ignore', 'ignore', 'inherit']
});
addComponentsExport();
const after = snapshot();

if (check) {
	const drifted = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
		(f) => before[f] !== after[f]
	);
	for (const [f, text] of Object.entries(before)) writeFileSync(join(dir, f), text);
	if (drifted.length > 0) {
		console.error(`convex/_generated is out of date (${drifted.join(', ')}); run npm run codegen.`);
		process.exit(1);
	}
	console.log('convex/_generated is up to date.');
}

/** Components used in convex/convex.config.ts, as [name, package] pairs. */
function usedComponents() {
	const configPath = 'convex/convex.config.ts';
	if (!existsSync(configPath)) return [];
	const source = readFileSync(configPath, 'utf8');
	const imports = new Map(
		[...source.matchAll(/import\s+(\w+)\s+from\s+['"](.+?)\/convex\.config(?:\.js)?['"]/g)].map(
			(m) => [m[1], m[2]]
		)
	);
	return [...source.matchAll(/app\.use\(\s*(\w+)\s*(?:,\s*\{\s*name:\s*['"](\w+)['"]\s*\})?/g)].map(
		(m) => {
			const pkg = imports.get(m[1]);
			if (!pkg) throw new Error(`convex.config.ts: no import for ${m[1]}`);
			const name = m[2] ?? m[1];
			return [name, pkg];
		}
	);
}

function addComponentsExport() {
	const components = usedComponents();
	const js = join(dir, 'api.js');
	const dts = join(dir, 'api.d.ts');
	let jsText = readFileSync(js, 'utf8');
	if (!jsText.includes('componentsGeneric')) {
		jsText = jsText.replace(
			/import \{ anyApi(.*?) \} from "convex\/server";/,
			'import { anyApi$1, componentsGeneric } from "convex/server";'
		);
		jsText += '\nexport const components = componentsGeneric();\n';
		writeFileSync(js, jsText);
	}
	let dtsText = readFileSync(dts, 'utf8');
	if (!dtsText.includes('export declare const components')) {
		const fields = components
			.map(
				([name, pkg]) =>
					`  ${name}: import("${pkg}/_generated/component.js").ComponentApi<"${name}">;`
			)
			.join('\n');
		dtsText += `\nexport declare const components: {\n${fields}\n};\n`;
		writeFileSync(dts, dtsText);
	}
}
