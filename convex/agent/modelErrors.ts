// Turns what a model provider threw into a sentence a person can act on.
import { APICallError, RetryError } from 'ai';

export function readableModelError(error: unknown): string {
	const cause = RetryError.isInstance(error) ? error.lastError : error;
	if (APICallError.isInstance(cause)) {
		const status = cause.statusCode;
		if (status === 401 || status === 403) {
			return `The model provider refused the API key (HTTP ${status}). Check it in Settings.`;
		}
		if (status === 429) {
			return 'The model provider is rate limiting requests (HTTP 429), even after retries. Wait a moment and try again.';
		}
		if (status !== undefined && status >= 500) {
			return `The model provider had an error (HTTP ${status}), even after retries. Try again.`;
		}
		return `The model provider answered HTTP ${status ?? '?'}: ${cause.message}`;
	}
	const message = cause instanceof Error ? cause.message : String(cause);
	if (/timeout|timed out|ETIMEDOUT|aborted/i.test(message)) {
		return 'The model provider did not answer in time. Try again.';
	}
	return `The model stream failed: ${message}`;
}
