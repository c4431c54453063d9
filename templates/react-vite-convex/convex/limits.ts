// Limits shared by the Convex functions and the UI. Kept free of server imports so the browser
// bundle can import it (from '../convex/limits') without pulling in Convex server code.

/** Longest task, in characters, after trimming. */
export const MAX_TASK_LENGTH = 200;

/** How many tasks the list query returns; bounds the work a single query does. */
export const MAX_LISTED_TASKS = 200;

/** How many finished tasks one clearCompleted call deletes; bounds the work of one mutation. */
export const MAX_CLEARED_TASKS = 500;
