import type { Category } from '$convex/categories';

/**
 * How each category looks. A Record over Category, so adding one in convex/categories.ts fails
 * the typecheck until it has a label and colour here. Class names are written out in full so
 * Tailwind sees them.
 */
export const CATEGORY_STYLES: Record<Category, { label: string; colour: string }> = {
	housing: { label: 'Housing', colour: 'bg-indigo-500 dark:bg-indigo-400' },
	groceries: { label: 'Groceries', colour: 'bg-emerald-500 dark:bg-emerald-400' },
	dining: { label: 'Dining out', colour: 'bg-amber-500 dark:bg-amber-400' },
	transport: { label: 'Transport', colour: 'bg-sky-500 dark:bg-sky-400' },
	health: { label: 'Health', colour: 'bg-rose-500 dark:bg-rose-400' },
	fun: { label: 'Fun', colour: 'bg-fuchsia-500 dark:bg-fuchsia-400' },
	other: { label: 'Other', colour: 'bg-zinc-400 dark:bg-zinc-500' }
};
