// The one list of error codes a user-facing failure can carry. Convex functions throw
// `ConvexError<AppErrorData>`; the UI narrows caught errors with `isAppError`.
// Pure module: shared by convex/ and src/.

export const ERROR_CODES = [
	'UNAUTHENTICATED',
	'NOT_FOUND',
	'FORBIDDEN',
	'CONFLICT',
	'INVALID_PATH',
	'INVALID_ARGUMENT',
	'TOO_LARGE',
	'TOO_MANY',
	'PROTECTED',
	'RATE_LIMITED',
	/** The deployment lacks something the operator must set (e.g. SECRETS_KEY). */
	'NOT_CONFIGURED',
	/** A service the builder calls on the person's behalf (Convex's Platform API) refused or failed. */
	'UPSTREAM'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorData {
	code: ErrorCode;
	message: string;
	/** Extra facts for the UI, e.g. the conflicting path and its current hash. */
	path?: string;
	currentHash?: string | null;
}

export function isAppErrorData(value: unknown): value is AppErrorData {
	if (typeof value !== 'object' || value === null) return false;
	const { code, message } = value as Record<string, unknown>;
	return (
		typeof code === 'string' &&
		(ERROR_CODES as readonly string[]).includes(code) &&
		typeof message === 'string'
	);
}

/** Narrows an error thrown by a Convex call (a `ConvexError` carries `data`). */
export function appErrorOf(error: unknown): AppErrorData | null {
	if (typeof error === 'object' && error !== null && 'data' in error) {
		const data = (error as { data: unknown }).data;
		if (isAppErrorData(data)) return data;
	}
	return null;
}

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
	const app = appErrorOf(error);
	if (app) return app.message;
	if (error instanceof Error) return error.message;
	return String(error);
}
