// Calendar days ("2025-03-09") and months ("2025-03") as strings: they sort in time order, so
// an index on a day string answers "everything in this month" as a range. Free of server imports
// so the UI can import it (as `$convex/dates`).

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Whether `value` is a real calendar day written as YYYY-MM-DD (so not 2025-02-30). */
export function isDay(value: string): boolean {
	const match = DAY.exec(value);
	if (match === null) return false;
	const [year, month, day] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/** Whether `value` is a month written as YYYY-MM. */
export function isMonth(value: string): boolean {
	return MONTH.test(value);
}

/** The month a day belongs to: "2025-03-09" → "2025-03". */
export function monthOf(day: string): string {
	return day.slice(0, 7);
}

/** The first and last day strings a month can hold; every day of the month sorts between them. */
export function monthBounds(month: string): { first: string; last: string } {
	return { first: `${month}-01`, last: `${month}-31` };
}
