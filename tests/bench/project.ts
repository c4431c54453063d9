// A deterministic stand-in for a generated app of 120 files: Svelte components, routes, Convex
// functions, utilities, styles and config, ~2 KB on average. The content is source-like text
// from a seeded generator (varied identifiers, real syntax), so that gzip compresses it about as
// well as real code and the figures do not drift when the repository's own code changes.
import type { TemplateBundle, TemplateFile } from '../../convex/templates/bundle';

/** The file the edit figure changes: a typical ~2 KB component. */
export const EDITED_PATH = 'src/lib/components/ItemCard.svelte';
const EDITED_BYTES = 2048;

function mulberry32(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = (
	'item list user todo grocery price count title label status owner created updated filter ' +
	'query result error loading value index message session project group share token total ' +
	'amount note tag store cart order member invite board column card due done archive search ' +
	'sort page limit cursor draft publish author comment reply vote score rank theme color ' +
	'avatar badge banner button channel chart checkout client config contact coupon dashboard ' +
	'delivery device discount event feed folder form header history image invoice journal key ' +
	'layout ledger link locale map menu metric modal notice offer panel payment permission photo ' +
	'plan playlist poll post preview product profile queue quota receipt record region report ' +
	'request resource review role route schedule section setting shift slot source stock stream ' +
	'subscription summary supplier task team template thread ticket timeline topic track upload ' +
	'venue version video visit wallet warehouse widget window workflow workspace zone'
).split(' ');

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const ident = (r: Rand) => pick(r, WORDS) + cap(pick(r, WORDS));
const typeName = (r: Rand) => cap(pick(r, WORDS)) + cap(pick(r, WORDS));

const GLUE = ['the', 'a', 'each', 'its', 'when', 'so', 'before', 'after', 'unless', 'with'];
function sentence(r: Rand): string {
	const words = Array.from({ length: 6 + Math.floor(r() * 8) }, (_, i) =>
		i % 3 === 1 ? pick(r, GLUE) : pick(r, WORDS)
	);
	return cap(words.join(' ')) + '.';
}

function tsBlock(r: Rand): string {
	const [fn, a, b, c, field] = [ident(r), ident(r), ident(r), ident(r), pick(r, WORDS)];
	const type = typeName(r);
	switch (Math.floor(r() * 4)) {
		case 0:
			return (
				`export function ${fn}(${a}: ${type}[], ${b}: number): ${type}[] {\n` +
				`\tconst ${c} = ${a}.filter((entry) => entry.${field} > ${b});\n` +
				`\treturn ${c}.sort((x, y) => x.${pick(r, WORDS)} - y.${pick(r, WORDS)});\n}\n\n`
			);
		case 1:
			return (
				`export interface ${type} {\n\t${field}: string;\n\t${ident(r)}: number;\n` +
				`\t${ident(r)}?: boolean;\n\t${ident(r)}: ${typeName(r)}[];\n}\n\n`
			);
		case 2:
			return (
				`export const ${fn} = query({\n\targs: { ${a}: v.id('${pick(r, WORDS)}s') },\n` +
				`\thandler: async (ctx, { ${a} }) => {\n\t\tconst ${c} = await ctx.db\n` +
				`\t\t\t.query('${pick(r, WORDS)}s')\n` +
				`\t\t\t.withIndex('by_${field}', (q) => q.eq('${field}', ${a}))\n` +
				`\t\t\t.take(${Math.floor(r() * 200) + 10});\n\t\treturn ${c};\n\t}\n});\n\n`
			);
		default:
			return (
				`// ${sentence(r)}\n// ${sentence(r)}\n` +
				`export const ${c.toUpperCase()} = ${Math.floor(r() * 100000)};\n\n`
			);
	}
}

function svelteBlock(r: Rand): string {
	const [list, item, field, handler] = [ident(r), pick(r, WORDS), pick(r, WORDS), ident(r)];
	return (
		`<section class="${pick(r, WORDS)}-${pick(r, WORDS)} grid gap-${Math.floor(r() * 8)}">\n` +
		`\t{#each ${list} as ${item} (${item}._id)}\n` +
		`\t\t<button class="rounded px-2 text-${pick(r, WORDS)}" onclick={() => ${handler}(${item})}>\n` +
		`\t\t\t{${item}.${field}}\n\t\t</button>\n` +
		`\t{:else}\n\t\t<p>No ${pick(r, WORDS)}s yet.</p>\n\t{/each}\n</section>\n`
	);
}

function sized(r: Rand, target: number, head: string, block: (r: Rand) => string, tail = '') {
	let body = head;
	while (body.length + tail.length < target) body += block(r);
	return body + tail;
}

function tsFile(r: Rand, target: number) {
	return sized(
		r,
		target,
		`import { v } from 'convex/values';\nimport { query } from './_generated/server';\n\n`,
		tsBlock
	);
}

function svelteFile(r: Rand, target: number) {
	const head =
		`<script lang="ts">\n\tlet { ${ident(r)}, ${ident(r)} } = $props();\n` +
		`\tlet ${ident(r)} = $state(${Math.floor(r() * 10)});\n</script>\n\n`;
	return sized(r, target, head, svelteBlock);
}

function cssFile(r: Rand, target: number) {
	return sized(r, target, '', (r) => {
		const sel = `.${pick(r, WORDS)}-${pick(r, WORDS)}`;
		return `${sel} {\n\tpadding: ${Math.floor(r() * 24)}px;\n\tcolor: var(--${pick(r, WORDS)});\n}\n\n`;
	});
}

/** Sizes skewed like real projects: many small files, a few large ones (300 B to ~6 KB). */
function sizeFor(r: Rand) {
	return Math.round(300 + 5400 * r() ** 2.2);
}

export function benchTemplate(): TemplateBundle {
	const r = mulberry32(20240611);
	const files: TemplateFile[] = [
		{
			path: 'package.json',
			content:
				JSON.stringify(
					{
						name: 'bench-app',
						type: 'module',
						scripts: { dev: 'vite dev', build: 'vite build' },
						dependencies: { convex: '1.48.0', 'convex-svelte': '0.14.0' },
						devDependencies: { '@sveltejs/kit': '2.70.4', svelte: '5.57.3', vite: '8.3.8' }
					},
					null,
					'\t'
				) + '\n'
		},
		{
			path: 'README.md',
			content: sized(
				r,
				1200,
				'# Bench app\n\n',
				(r) => `- ${cap(pick(r, WORDS))} ${pick(r, WORDS)}s by ${pick(r, WORDS)}.\n`
			)
		},
		{
			path: 'svelte.config.js',
			content:
				"import adapter from '@sveltejs/adapter-static';\n\nexport default { kit: { adapter: adapter({ fallback: 'index.html' }) } };\n"
		},
		{
			path: 'vite.config.ts',
			content:
				"import { sveltekit } from '@sveltejs/kit/vite';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({ plugins: [sveltekit()] });\n"
		},
		{ path: '.gitignore', content: 'node_modules\n.svelte-kit\nbuild\n.env.local\n' },
		{ path: 'src/app.css', content: cssFile(r, 3000) }
	];
	for (let i = 0; i < 24; i++)
		files.push({ path: `convex/${pick(r, WORDS)}${i}.ts`, content: tsFile(r, sizeFor(r)) });
	for (let i = 0; i < 30; i++)
		files.push({
			path: `src/lib/components/${typeName(r)}${i}.svelte`,
			content: svelteFile(r, sizeFor(r))
		});
	for (let i = 0; i < 24; i++)
		files.push({
			path: `src/routes/${pick(r, WORDS)}${i}/+page.svelte`,
			content: svelteFile(r, sizeFor(r))
		});
	for (let i = 0; i < 30; i++)
		files.push({
			path: `src/lib/${pick(r, WORDS)}/${ident(r)}${i}.ts`,
			content: tsFile(r, sizeFor(r))
		});
	for (let i = 0; i < 5; i++)
		files.push({ path: `src/styles/${pick(r, WORDS)}${i}.css`, content: cssFile(r, sizeFor(r)) });
	files.push({ path: EDITED_PATH, content: svelteFile(r, EDITED_BYTES) });
	return {
		id: 'bench-app',
		name: 'Bench app',
		description: 'A deterministic 120-file app for storage figures.',
		tags: [],
		protected: [],
		devCommand: 'npm run dev',
		installCommand: 'npm install',
		files
	};
}
