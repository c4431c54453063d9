// Expenses and their monthly summary. The summary is computed here, on the server, from the same
// indexed range the list reads, so every open dashboard shows the same totals.
import { ConvexError, v, type Infer } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import { mutation, query, type QueryCtx } from './_generated/server';
import { vCategory } from './categories';
import { isDay, isMonth, monthBounds, monthOf } from './dates';
import { MAX_AMOUNT_CENTS, MAX_DESCRIPTION_LENGTH, MAX_EXPENSES_PER_MONTH } from './limits';
import { expenseFields } from './schema';

const vExpense = v.object({
	_id: v.id('expenses'),
	_creationTime: v.number(),
	...expenseFields
});

const vSummary = v.object({
	month: v.string(),
	totalCents: v.number(),
	count: v.number(),
	/** Rounded to whole cents; 0 for an empty month. */
	averageCents: v.number(),
	/** One row per category that has spending, largest total first. */
	byCategory: v.array(v.object({ category: vCategory, totalCents: v.number(), count: v.number() }))
});
export type Summary = Infer<typeof vSummary>;

/** The month's expenses, latest day first. */
export const list = query({
	args: { month: v.string() },
	returns: v.array(vExpense),
	handler: async (ctx, args) => {
		return await expensesInMonth(ctx, args.month);
	}
});

/** Totals for the month: overall, per entry and per category. */
export const summary = query({
	args: { month: v.string() },
	returns: vSummary,
	handler: async (ctx, args) => {
		return summarize(args.month, await expensesInMonth(ctx, args.month));
	}
});

export const add = mutation({
	args: expenseFields,
	returns: v.id('expenses'),
	handler: async (ctx, args) => {
		// Validators only check types, so the content rules live here, where no client can skip them.
		const description = args.description.trim();
		if (description.length === 0) throw new ConvexError('Describe the expense.');
		if (description.length > MAX_DESCRIPTION_LENGTH) {
			throw new ConvexError(`A description can be at most ${MAX_DESCRIPTION_LENGTH} characters.`);
		}
		if (!Number.isInteger(args.amountCents) || args.amountCents <= 0) {
			throw new ConvexError('The amount must be more than zero, in whole cents.');
		}
		if (args.amountCents > MAX_AMOUNT_CENTS) {
			throw new ConvexError(`The amount can be at most ${groupThousands(MAX_AMOUNT_CENTS / 100)}.`);
		}
		if (!isDay(args.date)) throw new ConvexError('The date must be a real day, as YYYY-MM-DD.');

		const month = monthOf(args.date);
		if ((await expensesInMonth(ctx, month)).length >= MAX_EXPENSES_PER_MONTH) {
			throw new ConvexError(`A month can hold at most ${MAX_EXPENSES_PER_MONTH} expenses.`);
		}
		return await ctx.db.insert('expenses', { ...args, description });
	}
});

export const remove = mutation({
	args: { id: v.id('expenses') },
	returns: v.null(),
	handler: async (ctx, args) => {
		// Deleting twice (two tabs, a double click) is not an error: the result is the same.
		const existing = await ctx.db.get(args.id);
		if (existing !== null) await ctx.db.delete(args.id);
		return null;
	}
});

/** Every expense in `month` (at most MAX_EXPENSES_PER_MONTH, which add enforces), latest first. */
async function expensesInMonth(ctx: QueryCtx, month: string): Promise<Doc<'expenses'>[]> {
	if (!isMonth(month)) throw new ConvexError('The month must be written as YYYY-MM.');
	const { first, last } = monthBounds(month);
	return await ctx.db
		.query('expenses')
		.withIndex('by_date', (q) => q.gte('date', first).lte('date', last))
		.order('desc')
		.take(MAX_EXPENSES_PER_MONTH);
}

/** The month's totals: a plain function of the rows, kept apart from reading them. */
function summarize(month: string, expenses: Doc<'expenses'>[]): Summary {
	const totals = new Map<Doc<'expenses'>['category'], { totalCents: number; count: number }>();
	let totalCents = 0;
	for (const expense of expenses) {
		totalCents += expense.amountCents;
		const row = totals.get(expense.category) ?? { totalCents: 0, count: 0 };
		row.totalCents += expense.amountCents;
		row.count += 1;
		totals.set(expense.category, row);
	}
	const byCategory = [...totals]
		.map(([category, row]) => ({ category, ...row }))
		// Ties in a stable, alphabetical order so the chart does not reshuffle between renders.
		.sort((a, b) => b.totalCents - a.totalCents || a.category.localeCompare(b.category));
	const count = expenses.length;
	return {
		month,
		totalCents,
		count,
		averageCents: count === 0 ? 0 : Math.round(totalCents / count),
		byCategory
	};
}

/** 1000000 → "1,000,000", without Intl (which messages should not depend on). */
function groupThousands(n: number): string {
	return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
