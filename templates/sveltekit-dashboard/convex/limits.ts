// Limits shared by the Convex functions and the UI. Kept free of server imports so the browser
// bundle can import it (as `$convex/limits`) without pulling in Convex server code.

/** Longest description, in characters, after trimming. */
export const MAX_DESCRIPTION_LENGTH = 80;

/** Largest single expense, in cents (1,000,000.00). */
export const MAX_AMOUNT_CENTS = 100_000_000;

/**
 * Most expenses a month may hold. The month's queries read them all, so this bounds their work,
 * and the totals they compute are always complete.
 */
export const MAX_EXPENSES_PER_MONTH = 500;
