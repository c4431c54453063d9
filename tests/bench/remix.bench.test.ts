// How long a remix takes: a 100-file project, from the remix mutation's call until the new
// project's file list can be read. Runs the real functions in convex-test (in memory), so it
// measures our code's work, not a network or a real database.
import { performance } from 'node:perf_hooks';
import { expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { setup, signedIn } from '../convex/setup';
import { record } from './figures';
import { benchTemplate } from './project';

const FILES = 100;
const SAMPLES = 9;

test('time to remix a 100-file project', async (ctx) => {
	const t = await setup();
	const me = await signedIn(t);
	const projectId = await me.as.mutation(api.projects.create, { name: 'Source' });
	const files = benchTemplate().files.slice(0, FILES);
	await me.as.mutation(api.files.save, {
		projectId,
		edits: files.map((f) => ({
			kind: 'write' as const,
			path: f.path,
			content: f.content,
			baseHash: null
		}))
	});

	const times: number[] = [];
	for (let i = 0; i < SAMPLES; i++) {
		const started = performance.now();
		const copy = await me.as.mutation(api.projects.remix, { projectId });
		const listed = await me.as.query(api.files.list, { projectId: copy });
		times.push(performance.now() - started);
		expect(listed).toHaveLength(FILES);
	}
	times.sort((a, b) => a - b);
	record(ctx, 'remix_ms', {
		value: Math.round(times[Math.floor(SAMPLES / 2)]),
		unit: 'ms',
		label: `remix a ${FILES}-file project until its file list is readable (convex-test)`,
		note: `median of ${SAMPLES}; min ${Math.round(times[0])}, max ${Math.round(times.at(-1)!)}`
	});
}, 60_000);
