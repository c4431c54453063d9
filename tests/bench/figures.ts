// How a bench test reports a figure: `record(ctx, name, figure)` stores it in the test's
// metadata, which scripts/bench.mjs collects from every test into one table and one JSON line.
// Adding a figure is one `record` call in any tests/bench/*.bench.test.ts file.
import type { TestContext } from 'vitest';

export interface Figure {
	value: number;
	unit: 'bytes' | 'files' | 'ms' | 'count' | 'tokens';
	/** What was measured, in a few words, for the table. */
	label: string;
	/** The figure meets its goal when value <= max. */
	goal?: { max: number; text: string };
	/** Extra context for the table, e.g. a breakdown by table. */
	note?: string;
}

declare module 'vitest' {
	interface TaskMeta {
		figures?: Record<string, Figure>;
	}
}

export function record(ctx: TestContext, name: string, figure: Figure) {
	if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`figure names are snake_case: ${name}`);
	const figures = (ctx.task.meta.figures ??= {});
	if (name in figures) throw new Error(`figure ${name} recorded twice`);
	figures[name] = figure;
}
