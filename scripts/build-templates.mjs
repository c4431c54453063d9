#!/usr/bin/env node
// Bundles templates/*/ into convex/templates/bundle.ts. The builder's Convex functions cannot read
// the repo's files at run time, so the templates reach the deployment as data compiled into a
// module. With --check, nothing is written: it fails when the file on disk is stale (for CI).
//
// Node built-ins only, so it runs before (or without) npm install.
import {
	existsSync,
	lstatSync,
	readdirSync,
	readFileSync,
	writeFileSync,
	mkdirSync
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const templatesDir = join(root, 'templates');
const outFile = join(root, 'convex', 'templates', 'bundle.ts');
const outName = 'convex/templates/bundle.ts';
const check = process.argv.includes('--check');

/** Never part of a template, whatever its .gitignore says: installs, build output, OS litter. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.svelte-kit', 'build', 'dist', '.DS_Store']);
/** The template's metadata: bundled as fields, not as a file of the app. */
const METADATA_FILE = 'template.json';
const REQUIRED_STRINGS = ['id', 'name', 'description', 'devCommand'];
const REQUIRED_STRING_ARRAYS = ['tags', 'protected'];
const KNOWN_FIELDS = new Set([...REQUIRED_STRINGS, ...REQUIRED_STRING_ARRAYS, 'installCommand']);
/** Above this the bundle starts to weigh on the builder's deployment (pushes, cold starts). */
const SIZE_WARNING_BYTES = 600 * 1024;

class TemplateError extends Error {}

main();

function main() {
	let bundles;
	try {
		bundles = loadTemplates();
	} catch (error) {
		if (!(error instanceof TemplateError)) throw error;
		console.error(`build-templates: ${error.message}`);
		process.exit(1);
	}

	const output = render(bundles);
	report(bundles, output);

	const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : null;
	if (check) {
		if (current !== output) {
			console.error(`${outName} is out of date; run npm run templates:build`);
			process.exit(1);
		}
		console.log(`${outName} is up to date.`);
		return;
	}
	if (current === output) {
		console.log(`${outName} is unchanged.`);
		return;
	}
	mkdirSync(dirname(outFile), { recursive: true });
	writeFileSync(outFile, output);
	console.log(`Wrote ${outName}.`);
}

function loadTemplates() {
	if (!existsSync(templatesDir)) return [];
	const dirs = readdirSync(templatesDir, { withFileTypes: true })
		.filter((d) => d.isDirectory())
		.map((d) => d.name)
		.sort(compare);

	const bundles = dirs.map((dir) => loadTemplate(dir));
	const seen = new Set();
	for (const b of bundles) {
		if (seen.has(b.id)) throw new TemplateError(`two templates have the id "${b.id}"`);
		seen.add(b.id);
	}
	return bundles;
}

function loadTemplate(dir) {
	const base = join(templatesDir, dir);
	const metaPath = join(base, METADATA_FILE);
	const where = `templates/${dir}/${METADATA_FILE}`;
	if (!existsSync(metaPath)) throw new TemplateError(`${where} is missing`);

	let meta;
	try {
		meta = JSON.parse(readFileSync(metaPath, 'utf8'));
	} catch (error) {
		throw new TemplateError(`${where} is not valid JSON: ${error.message}`);
	}
	validate(meta, where, dir);

	const ignore = readGitignore(base);
	const files = walk(base, '', ignore, dir).map((path) => ({
		path,
		content: readText(join(base, path), `templates/${dir}/${path}`)
	}));
	if (files.length === 0) throw new TemplateError(`templates/${dir} has no files`);

	// A fixed field order keeps the output stable whatever order template.json uses.
	return {
		id: meta.id,
		name: meta.name,
		description: meta.description,
		tags: meta.tags,
		protected: meta.protected,
		devCommand: meta.devCommand,
		installCommand: meta.installCommand ?? 'npm install',
		files
	};
}

function validate(meta, where, dir) {
	if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
		throw new TemplateError(`${where} must hold a JSON object`);
	}
	for (const key of REQUIRED_STRINGS) {
		if (typeof meta[key] !== 'string' || meta[key].trim() === '') {
			throw new TemplateError(`${where}: "${key}" must be a non-empty string`);
		}
	}
	for (const key of REQUIRED_STRING_ARRAYS) {
		if (!Array.isArray(meta[key]) || !meta[key].every((x) => typeof x === 'string' && x)) {
			throw new TemplateError(`${where}: "${key}" must be an array of non-empty strings`);
		}
	}
	if (meta.installCommand !== undefined && typeof meta.installCommand !== 'string') {
		throw new TemplateError(`${where}: "installCommand" must be a string when present`);
	}
	// The id is how projects refer to a template, so it must be stable and URL-safe; tying it to
	// the folder name means one cannot be renamed without the other.
	if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(meta.id)) {
		throw new TemplateError(`${where}: "id" must be lowercase words joined by dashes`);
	}
	if (meta.id !== dir) {
		throw new TemplateError(`${where}: "id" is "${meta.id}" but the folder is "${dir}"`);
	}
	const unknown = Object.keys(meta).filter((k) => !KNOWN_FIELDS.has(k));
	if (unknown.length > 0) {
		throw new TemplateError(`${where}: unknown field(s) ${unknown.join(', ')}`);
	}
}

/**
 * Relative paths of the files to bundle under `base`, sorted. Built with '/' (never path.sep) so
 * the output is the same on every OS.
 */
function walk(base, relDir, ignore, dir) {
	const out = [];
	for (const entry of readdirSync(join(base, relDir), { withFileTypes: true })) {
		const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
		const isDir = entry.isDirectory();
		if (ALWAYS_SKIPPED.has(entry.name)) continue;
		if (rel === METADATA_FILE) continue;
		if (isIgnored(ignore, rel, isDir)) continue;
		if (entry.isSymbolicLink() || lstatSync(join(base, rel)).isSymbolicLink()) {
			throw new TemplateError(`templates/${dir}/${rel} is a symlink; templates hold plain files`);
		}
		if (isDir) out.push(...walk(base, rel, ignore, dir));
		else if (entry.isFile()) out.push(rel);
	}
	return out.sort(compare);
}

/**
 * The template's own .gitignore, so what the bundle holds matches what git would commit. Supports
 * the common subset: comments, `!` negation, `*` and `?`, a leading `/` (anchored to the template
 * root) and a trailing `/` (directories only). The last matching rule wins, as in git.
 */
function readGitignore(base) {
	const path = join(base, '.gitignore');
	if (!existsSync(path)) return [];
	return readFileSync(path, 'utf8')
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#'))
		.map((line) => {
			const negate = line.startsWith('!');
			let pattern = negate ? line.slice(1) : line;
			const dirOnly = pattern.endsWith('/');
			if (dirOnly) pattern = pattern.slice(0, -1);
			// Git anchors a pattern with a slash anywhere but the end; others match at any depth.
			const anchored = pattern.includes('/');
			if (pattern.startsWith('/')) pattern = pattern.slice(1);
			return { negate, dirOnly, anchored, regex: globToRegex(pattern) };
		});
}

function isIgnored(rules, rel, isDir) {
	const name = rel.slice(rel.lastIndexOf('/') + 1);
	let ignored = false;
	for (const rule of rules) {
		if (rule.dirOnly && !isDir) continue;
		if (rule.regex.test(rule.anchored ? rel : name)) ignored = !rule.negate;
	}
	return ignored;
}

function globToRegex(glob) {
	let source = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === '*' && glob[i + 1] === '*') {
			source += '.*';
			i++;
		} else if (c === '*') source += '[^/]*';
		else if (c === '?') source += '[^/]';
		else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`);
}

/** A file's text. The bundle is a TypeScript module of strings, so binary files cannot go in. */
function readText(path, shown) {
	const bytes = readFileSync(path);
	const binary = () =>
		new TemplateError(
			`${shown} is a binary file; templates may hold only UTF-8 text files ` +
				`(use an SVG, or have the app fetch the asset)`
		);
	if (bytes.includes(0)) throw binary();
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		throw binary();
	}
}

function render(bundles) {
	return [
		'// Generated by scripts/build-templates.mjs from templates/. Do not edit.',
		'',
		'export interface TemplateFile {',
		'\tpath: string;',
		'\tcontent: string;',
		'}',
		'',
		'export interface TemplateBundle {',
		'\tid: string;',
		'\tname: string;',
		'\tdescription: string;',
		'\ttags: string[];',
		'\tprotected: string[];',
		'\tdevCommand: string;',
		'\tinstallCommand: string;',
		'\tfiles: TemplateFile[];',
		'}',
		'',
		// Keeps `prettier --check .` quiet without rewriting the data's JSON into Prettier's style.
		'// prettier-ignore',
		`export const templates: TemplateBundle[] = ${JSON.stringify(bundles, null, '\t')};`,
		''
	].join('\n');
}

function report(bundles, output) {
	const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
	for (const b of bundles) {
		const size = b.files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
		const lock = b.files.find((f) => f.path === 'package-lock.json');
		const lockNote = lock ? `, package-lock.json ${kb(Buffer.byteLength(lock.content))}` : '';
		console.log(`  ${b.id}: ${b.files.length} files, ${kb(size)}${lockNote}`);
	}
	const total = Buffer.byteLength(output);
	console.log(`${outName}: ${bundles.length} template(s), ${kb(total)}`);
	if (total > SIZE_WARNING_BYTES) {
		console.warn(
			`warning: the bundle is over ${kb(SIZE_WARNING_BYTES)}; it is deployed with the ` +
				`builder's Convex functions, so trim the templates`
		);
	}
}

/** Code-point order, not locale order, so every machine sorts the same way. */
function compare(a, b) {
	return a < b ? -1 : a > b ? 1 : 0;
}
