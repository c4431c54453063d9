import { ConvexError } from 'convex/values';

/**
 * A message fit to show a person. ConvexErrors carry messages written for people (see
 * convex/tasks.ts); anything else may be an internal detail, so it gets a generic message.
 */
export function errorMessage(error: unknown): string {
	if (error instanceof ConvexError && typeof error.data === 'string') return error.data;
	return 'Something went wrong. Please try again.';
}
