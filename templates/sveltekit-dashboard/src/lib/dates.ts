// Day and month strings (see convex/dates.ts) in the person's own time zone and locale.
import { monthOf } from '$convex/dates';

const pad = (n: number) => String(n).padStart(2, '0');

/** Today where the person is, as YYYY-MM-DD. */
export function today(now = new Date()): string {
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** This month where the person is, as YYYY-MM. */
export function currentMonth(now = new Date()): string {
	return monthOf(today(now));
}

/** The month `delta` months after `month` (before, when negative): ("2025-01", -1) → "2024-12". */
export function shiftMonth(month: string, delta: number): string {
	const [year, m] = month.split('-').map(Number);
	// Date rolls over month 0 and month 13 into the neighbouring years.
	const date = new Date(year, m - 1 + delta, 1);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
}

/** "2025-03" → "March 2025". */
export function formatMonth(month: string): string {
	const [year, m] = month.split('-').map(Number);
	return new Date(year, m - 1, 1).toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
}

/** "2025-03-09" → "Mar 9". */
export function formatDay(day: string): string {
	const [year, m, d] = day.split('-').map(Number);
	return new Date(year, m - 1, d).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
