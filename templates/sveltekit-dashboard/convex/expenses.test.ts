// Files with more than one dot (like this one) are not deployed by Convex, so tests can live
// next to the functions they test.
import { convexTest } from 'convex-test';
import { describe, expect, test } from 'vitest';
import { api } from './_generated/api';
import { MAX_AMOUNT_CENTS, MAX_DESCRIPTION_LENGTH, MAX_EXPENSES_PER_MONTH } from './limits';
import schema from './schema';

// Every module in this folder, _generated included: convex-test resolves function paths from it.
const modules = import.meta.glob('./**/*.*s');

const lunch = {
	description: 'Lunch',
	amountCents: 1250,
	category: 'dining',
	date: '2025-03-09'
} as const;

describe('expenses', () => {
	test('add trims the description; list returns the month, latest day first', async () => {
		const t = convexTest(schema, modules);
		await t.mutation(api.expenses.add, { ...lunch, description: '  Lunch  ' });
		await t.mutation(api.expenses.add, { ...lunch, description: 'Rent', date: '2025-03-01' });
		await t.mutation(api.expenses.add, { ...lunch, description: 'Taxi', date: '2025-03-31' });
		// Neighbouring months stay out.
		await t.mutation(api.expenses.add, { ...lunch, description: 'Feb', date: '2025-02-28' });
		await t.mutation(api.expenses.add, { ...lunch, description: 'Apr', date: '2025-04-01' });

		const march = await t.query(api.expenses.list, { month: '2025-03' });
		expect(march.map((e) => e.description)).toEqual(['Taxi', 'Lunch', 'Rent']);
		expect(await t.query(api.expenses.list, { month: '2025-05' })).toEqual([]);
	});

	test('add refuses bad descriptions, amounts and dates', async () => {
		const t = convexTest(schema, modules);
		// `object`, not the argument type: a client can send anything, so the test does too.
		const add = (changes: object) => t.mutation(api.expenses.add, { ...lunch, ...changes });

		await expect(add({ description: '   ' })).rejects.toThrow(/Describe the expense/);
		await expect(add({ description: 'x'.repeat(MAX_DESCRIPTION_LENGTH + 1) })).rejects.toThrow(
			/at most/
		);
		await expect(add({ amountCents: 0 })).rejects.toThrow(/more than zero/);
		await expect(add({ amountCents: -500 })).rejects.toThrow(/more than zero/);
		await expect(add({ amountCents: 12.5 })).rejects.toThrow(/whole cents/);
		await expect(add({ amountCents: MAX_AMOUNT_CENTS + 1 })).rejects.toThrow(/at most 1,000,000/);
		await expect(add({ date: '2025-02-29' })).rejects.toThrow(/real day/);
		await expect(add({ date: '2025-3-09' })).rejects.toThrow(/real day/);
		await expect(add({ category: 'yachts' })).rejects.toThrow(/Validator error/);
		expect(await t.query(api.expenses.list, { month: '2025-03' })).toEqual([]);

		// The edges are allowed: the longest description and the largest amount.
		await add({ description: 'x'.repeat(MAX_DESCRIPTION_LENGTH), amountCents: MAX_AMOUNT_CENTS });
		await add({ date: '2024-02-29' });
		expect(await t.query(api.expenses.list, { month: '2025-03' })).toHaveLength(1);
		expect(await t.query(api.expenses.list, { month: '2024-02' })).toHaveLength(1);
	});

	test('a month holds at most MAX_EXPENSES_PER_MONTH expenses', async () => {
		const t = convexTest(schema, modules);
		await t.run(async (ctx) => {
			for (let i = 0; i < MAX_EXPENSES_PER_MONTH; i++) await ctx.db.insert('expenses', lunch);
		});
		await expect(t.mutation(api.expenses.add, lunch)).rejects.toThrow(/at most/);
		// Other months are unaffected.
		await t.mutation(api.expenses.add, { ...lunch, date: '2025-04-01' });
	});

	test('summary totals the month overall and per category, largest first', async () => {
		const t = convexTest(schema, modules);
		const entries = [
			{ category: 'groceries', amountCents: 4_000 },
			{ category: 'dining', amountCents: 1_250 },
			{ category: 'groceries', amountCents: 2_599 },
			{ category: 'housing', amountCents: 90_000 },
			{ category: 'dining', amountCents: 1_000 }
		] as const;
		for (const entry of entries) await t.mutation(api.expenses.add, { ...lunch, ...entry });
		await t.mutation(api.expenses.add, { ...lunch, amountCents: 99_999, date: '2025-04-02' });

		expect(await t.query(api.expenses.summary, { month: '2025-03' })).toEqual({
			month: '2025-03',
			totalCents: 98_849,
			count: 5,
			averageCents: 19_770, // 19,769.8 rounded
			byCategory: [
				{ category: 'housing', totalCents: 90_000, count: 1 },
				{ category: 'groceries', totalCents: 6_599, count: 2 },
				{ category: 'dining', totalCents: 2_250, count: 2 }
			]
		});
	});

	test('summary of an empty month is zero; a malformed month is refused', async () => {
		const t = convexTest(schema, modules);
		expect(await t.query(api.expenses.summary, { month: '2025-03' })).toEqual({
			month: '2025-03',
			totalCents: 0,
			count: 0,
			averageCents: 0,
			byCategory: []
		});
		await expect(t.query(api.expenses.summary, { month: '2025-13' })).rejects.toThrow(/YYYY-MM/);
		await expect(t.query(api.expenses.list, { month: 'March' })).rejects.toThrow(/YYYY-MM/);
	});

	test('remove deletes the expense, updates the summary and is idempotent', async () => {
		const t = convexTest(schema, modules);
		const id = await t.mutation(api.expenses.add, lunch);
		await t.mutation(api.expenses.add, { ...lunch, amountCents: 300, category: 'transport' });

		await t.mutation(api.expenses.remove, { id });
		await t.mutation(api.expenses.remove, { id });
		const summary = await t.query(api.expenses.summary, { month: '2025-03' });
		expect(summary.totalCents).toBe(300);
		expect(summary.byCategory.map((row) => row.category)).toEqual(['transport']);
	});
});
