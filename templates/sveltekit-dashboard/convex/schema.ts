import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';
import { vCategory } from './categories';

/** An expense as stored and as `expenses.add` takes it. */
export const expenseFields = {
	description: v.string(),
	// Whole cents, so sums are exact integers (no floating-point drift).
	amountCents: v.number(),
	category: vCategory,
	// The calendar day it was spent, YYYY-MM-DD, as the person entered it (no time zone).
	date: v.string()
};

export default defineSchema({
	// by_date serves a month as a range of day strings; ties are ordered by _creationTime.
	expenses: defineTable(expenseFields).index('by_date', ['date'])
});
