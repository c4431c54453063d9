import { ConvexError } from 'convex/values';
import type { AppErrorData, ErrorCode } from '../src/lib/shared/errors';

/** Throws the one kind of error the UI knows how to show. */
export function fail(
	code: ErrorCode,
	message: string,
	extra: Omit<AppErrorData, 'code' | 'message'> = {}
): never {
	throw new ConvexError({ code, message, ...extra } satisfies AppErrorData);
}
