import { useState } from 'react';
import { errorMessage } from './errors';

/**
 * Runs mutations one at a time for a control and keeps what the UI shows meanwhile: whether one is
 * running, and the last failure as a message fit for people. The data itself needs no local copy:
 * the live query re-renders once the mutation lands.
 */
export function usePending() {
	const [pending, setPending] = useState(false);
	const [error, setError] = useState<string | null>(null);

	/** Resolves to whether the action succeeded; it never rejects. */
	async function run(action: () => Promise<unknown>): Promise<boolean> {
		setPending(true);
		setError(null);
		try {
			await action();
			return true;
		} catch (e) {
			setError(errorMessage(e));
			return false;
		} finally {
			setPending(false);
		}
	}

	return { pending, error, run };
}
