// Files with more than one dot (like this one) are not deployed by Convex, so tests can live
// next to the functions they test.
import { convexTest } from 'convex-test';
import { describe, expect, test } from 'vitest';
import { api } from './_generated/api';
import { MAX_IDEA_LENGTH } from './limits';
import schema from './schema';

// Every module in this folder, _generated included: convex-test resolves function paths from it.
const modules = import.meta.glob('./**/*.*s');

describe('ideas', () => {
	test('add trims the text and list returns newest first', async () => {
		const t = convexTest(schema, modules);
		await t.mutation(api.ideas.add, { text: '  first  ' });
		await t.mutation(api.ideas.add, { text: 'second' });

		const ideas = await t.query(api.ideas.list, {});
		expect(ideas.map((i) => i.text)).toEqual(['second', 'first']);
		expect(ideas.every((i) => !i.done)).toBe(true);
	});

	test('add refuses empty and too long text', async () => {
		const t = convexTest(schema, modules);
		await expect(t.mutation(api.ideas.add, { text: '   ' })).rejects.toThrow(/cannot be empty/);
		await expect(
			t.mutation(api.ideas.add, { text: 'x'.repeat(MAX_IDEA_LENGTH + 1) })
		).rejects.toThrow(/at most/);
		// Exactly at the limit is fine, and surrounding spaces do not count.
		await t.mutation(api.ideas.add, { text: ` ${'x'.repeat(MAX_IDEA_LENGTH)} ` });
		expect(await t.query(api.ideas.list, {})).toHaveLength(1);
	});

	test('toggle flips done; remove deletes and is idempotent', async () => {
		const t = convexTest(schema, modules);
		const id = await t.mutation(api.ideas.add, { text: 'idea' });

		await t.mutation(api.ideas.toggle, { id });
		expect((await t.query(api.ideas.list, {}))[0].done).toBe(true);
		await t.mutation(api.ideas.toggle, { id });
		expect((await t.query(api.ideas.list, {}))[0].done).toBe(false);

		await t.mutation(api.ideas.remove, { id });
		await t.mutation(api.ideas.remove, { id });
		expect(await t.query(api.ideas.list, {})).toEqual([]);
		await expect(t.mutation(api.ideas.toggle, { id })).rejects.toThrow(/no longer exists/);
	});
});
