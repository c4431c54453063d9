#!/usr/bin/env node
// `npm run bench`: runs the figure-producing tests in tests/bench (their own vitest config, not
// part of `npm test`), prints a table, and prints ONE JSON object of numeric figures as the very
// last line of stdout, for tools that track the figures over time.
//
// A figure is added by a `record(ctx, name, figure)` call in any tests/bench/*.bench.test.ts
// (see tests/bench/figures.ts); this script needs no change.
//
//   --check   exit 1 when a figure misses its goal (the default only reports it)
//   NAME ...  run only the bench files whose path holds NAME (`npm run bench -- preview`)
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

/** @type {Map<string, { value: number, unit: string, label: string, goal?: { max: number, text: string }, note?: string }>} */
const figures = new Map();
/** @type {string[]} */
const failures = [];

/** @type {import('vitest/node').Reporter} */
const collect = {
	onTestCaseResult(testCase) {
		const result = testCase.result();
		if (result.state === 'failed') {
			const errors = (result.errors ?? []).map((e) => e.stack || e.message).join('\n');
			failures.push(`${testCase.fullName}\n${errors}`);
		}
		for (const [name, figure] of Object.entries(testCase.meta().figures ?? {})) {
			if (figures.has(name)) failures.push(`figure ${name} recorded by two tests`);
			figures.set(name, figure);
		}
	},
	onTestRunEnd(_modules, unhandledErrors) {
		for (const e of unhandledErrors) failures.push(e.stack || e.message);
	}
};

// Test output (console logs, vitest's own reporter) would land between the table and the JSON
// line or after it; the collecting reporter alone keeps stdout to what this script prints.
// Benches that run the whole builder build it once per run (tests/bench/builder.ts).
process.env.BENCH_RUN = String(Date.now());
const vitest = await startVitest(
	'test',
	only,
	{
		config: 'tests/bench/vitest.config.ts',
		root,
		watch: false,
		reporters: [collect],
		silent: true
	},
	{},
	{ stdout: process.stderr, stderr: process.stderr }
);
if (!vitest) {
	console.error('bench: vitest did not start');
	process.exit(1);
}
for (const file of vitest.state.getFiles()) {
	if (file.result?.state === 'fail' && file.result.errors?.length) {
		failures.push(
			`${file.filepath}\n${file.result.errors.map((e) => e.stack || e.message).join('\n')}`
		);
	}
}
await vitest.close();

/** @param {number} n */
const fmt = (n) => n.toLocaleString('en-US');
const rows = [...figures].map(([name, f]) => {
	const goal = f.goal
		? `${f.value <= f.goal.max ? 'ok  ' : 'MISS'} ${f.goal.text} (${fmt(f.goal.max)})`
		: '';
	return [name, `${fmt(f.value)} ${f.unit}`, goal, f.label + (f.note ? ` — ${f.note}` : '')];
});
const header = ['figure', 'value', 'goal', 'what'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
/** @param {string[]} cells */
const line = (cells) =>
	cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));

const missed = [...figures].filter(([, f]) => f.goal && f.value > f.goal.max).map(([n]) => n);
if (missed.length)
	console.log(`\n${missed.length} figure(s) miss their goal: ${missed.join(', ')}`);
if (failures.length) {
	console.error(`\nbench: ${failures.length} failure(s):\n\n${failures.join('\n\n')}`);
}
console.log(JSON.stringify(Object.fromEntries([...figures].map(([name, f]) => [name, f.value]))));
process.exitCode = failures.length || (check && missed.length) ? 1 : 0;
