// Files with more than one dot (like this one) are not deployed by Convex, so tests can live
// next to the functions they test.
import { convexTest } from 'convex-test';
import { describe, expect, test } from 'vitest';
import { api } from './_generated/api';
import { MAX_TASK_LENGTH } from './limits';
import schema from './schema';

// Every module in this folder, _generated included: convex-test resolves function paths from it.
const modules = import.meta.glob('./**/*.*s');

describe('tasks', () => {
	test('add trims the text and list returns newest first', async () => {
		const t = convexTest(schema, modules);
		await t.mutation(api.tasks.add, { text: '  first  ' });
		await t.mutation(api.tasks.add, { text: 'second' });

		const tasks = await t.query(api.tasks.list, {});
		expect(tasks.map((task) => task.text)).toEqual(['second', 'first']);
		expect(tasks.every((task) => !task.done)).toBe(true);
	});

	test('add refuses empty and too long text', async () => {
		const t = convexTest(schema, modules);
		await expect(t.mutation(api.tasks.add, { text: '   ' })).rejects.toThrow(/cannot be empty/);
		await expect(
			t.mutation(api.tasks.add, { text: 'x'.repeat(MAX_TASK_LENGTH + 1) })
		).rejects.toThrow(/at most/);
		// Exactly at the limit is fine, and surrounding spaces do not count.
		await t.mutation(api.tasks.add, { text: ` ${'x'.repeat(MAX_TASK_LENGTH)} ` });
		expect(await t.query(api.tasks.list, {})).toHaveLength(1);
	});

	test('setDone sets the flag; remove deletes and is idempotent', async () => {
		const t = convexTest(schema, modules);
		const id = await t.mutation(api.tasks.add, { text: 'task' });

		await t.mutation(api.tasks.setDone, { id, done: true });
		// Setting the same value twice leaves it set: no accidental toggling back.
		await t.mutation(api.tasks.setDone, { id, done: true });
		expect((await t.query(api.tasks.list, {}))[0].done).toBe(true);
		await t.mutation(api.tasks.setDone, { id, done: false });
		expect((await t.query(api.tasks.list, {}))[0].done).toBe(false);

		await t.mutation(api.tasks.remove, { id });
		await t.mutation(api.tasks.remove, { id });
		expect(await t.query(api.tasks.list, {})).toEqual([]);
		await expect(t.mutation(api.tasks.setDone, { id, done: true })).rejects.toThrow(
			/no longer exists/
		);
	});

	test('clearCompleted deletes only finished tasks', async () => {
		const t = convexTest(schema, modules);
		const a = await t.mutation(api.tasks.add, { text: 'a' });
		await t.mutation(api.tasks.add, { text: 'b' });
		const c = await t.mutation(api.tasks.add, { text: 'c' });
		await t.mutation(api.tasks.setDone, { id: a, done: true });
		await t.mutation(api.tasks.setDone, { id: c, done: true });

		expect(await t.mutation(api.tasks.clearCompleted, {})).toBe(2);
		expect((await t.query(api.tasks.list, {})).map((task) => task.text)).toEqual(['b']);
		expect(await t.mutation(api.tasks.clearCompleted, {})).toBe(0);
	});
});
