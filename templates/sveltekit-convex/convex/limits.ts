// Limits shared by the Convex functions and the UI. Kept free of server imports so the browser
// bundle can import it (as `$convex/limits`) without pulling in Convex server code.

/** Longest idea, in characters, after trimming. */
export const MAX_IDEA_LENGTH = 280;

/** How many ideas the list query returns; bounds the work a single query does. */
export const MAX_LISTED_IDEAS = 200;
