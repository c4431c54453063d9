#!/usr/bin/env node
// `npm test`: every check and test suite, in order of speed. Runs them all even when one
// fails, then prints one closing line "N passed, N failed" over the test counts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const results = [];
// Not test-results/: Playwright empties that folder when it starts.
mkdirSync('reports', { recursive: true });

/**
 * Runs one step and records whether it passed. Its output streams as it comes, or, with
 * `buffered` (steps that run side by side), is printed whole when it ends, so the log reads as
 * if they had run one after another.
 */
async function step(name, command, args, { cwd, buffered = false } = {}) {
	const header = `\n━━ ${name}: ${[command, ...args].join(' ')}`;
	if (!buffered) console.log(header);
	const started = Date.now();
	const { code, output } = await new Promise((resolve) => {
		const child = spawn(command, args, {
			cwd,
			stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit'
		});
		let output = '';
		child.stdout?.on('data', (chunk) => (output += chunk));
		child.stderr?.on('data', (chunk) => (output += chunk));
		child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
		child.on('close', (code) => resolve({ code, output }));
	});
	if (buffered) console.log(header);
	process.stdout.write(output);
	const ok = code === 0;
	results.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
	return ok;
}

/** Runs steps `width` at a time, their output buffered. */
async function inParallel(width, steps) {
	const queue = [...steps];
	const worker = async () => {
		for (let next = queue.shift(); next; next = queue.shift()) {
			await step(...next, { buffered: true });
		}
	};
	await Promise.all(Array.from({ length: width }, worker));
}

// The static checks are mostly single-threaded: two at a time keep both cores busy.
await inParallel(2, [
	['convex codegen is current', 'node', ['scripts/codegen.mjs', '--check']],
	['template bundle is current', 'node', ['scripts/build-templates.mjs', '--check']],
	['typecheck (svelte-check)', 'npm', ['run', '--silent', 'check']],
	['typecheck (convex)', 'npx', ['tsc', '-p', 'convex', '--noEmit']],
	['lint', 'npm', ['run', '--silent', 'lint']]
]);
await step('unit and convex tests (vitest)', 'npx', [
	'vitest',
	'run',
	'--reporter=default',
	'--reporter=json',
	'--outputFile.json=reports/vitest.json'
]);

for (const template of readdirSync('templates')) {
	const dir = join('templates', template);
	if (!existsSync(join(dir, 'package.json'))) continue;
	if (!existsSync(join(dir, 'node_modules'))) {
		await step(`template ${template}: install`, 'npm', ['install', '--no-audit', '--no-fund'], {
			cwd: dir
		});
	}
	await step(`template ${template}: check`, 'npm', ['run', '--silent', 'check'], { cwd: dir });
	await step(`template ${template}: test`, 'npm', ['run', '--silent', 'test'], { cwd: dir });
}

if (await step('chromium available', 'node', ['scripts/find-chromium.mjs'])) {
	await step('browser tests (playwright)', 'npx', ['playwright', 'test']);
}

let passed = 0;
let failed = 0;
const vitest = readJson('reports/vitest.json');
if (vitest) {
	passed += vitest.numPassedTests ?? 0;
	failed += vitest.numFailedTests ?? 0;
}
const e2e = readJson('reports/e2e.json');
if (e2e?.stats) {
	passed += e2e.stats.expected ?? 0;
	failed += e2e.stats.unexpected ?? 0;
}
const failedSteps = results.filter((r) => !r.ok);

console.log('\n━━ summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds}s)`);
// A failing step that is not a test suite (typecheck, lint, ...) counts as one failure.
const failedNonSuites = failedSteps.filter((r) => !/vitest|playwright/.test(r.name)).length;
console.log(`${passed} passed, ${failed + failedNonSuites} failed`);
process.exit(failedSteps.length > 0 ? 1 : 0);

function readJson(path) {
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		return null;
	}
}
