// Amounts are stored as whole cents (integers), so sums are exact; this module converts between
// cents and what a person reads or types.

/** The currency amounts are shown in. Stored amounts carry no currency, so this only changes display. */
export const CURRENCY = 'USD';

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: CURRENCY });

/** The currency's symbol in the person's locale, e.g. "$", shown beside the amount field. */
export const CURRENCY_SYMBOL =
	money.formatToParts(0).find((part) => part.type === 'currency')?.value ?? CURRENCY;

/** 123456 → "$1,234.56" (in the person's locale). */
export function formatCents(cents: number): string {
	return money.format(cents / 100);
}

const AMOUNT = /^(\d*)(?:\.(\d{1,2}))?$/;

/**
 * What a person typed ("12", "12.5", ".99") as whole cents, or null when it is not a plain amount
 * with at most two decimals. Parsed as text, never through floating point, so "0.29" is 29.
 */
export function parseAmount(text: string): number | null {
	const match = AMOUNT.exec(text.trim());
	if (match === null) return null;
	const [, whole, fraction = ''] = match;
	if (whole === '' && fraction === '') return null;
	return Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0'));
}
