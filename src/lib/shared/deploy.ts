// A deployment's life, shared by the builder's backend (which enforces it) and the UI (which
// draws it). Pure module: no DOM, no Node.

/** The pipeline's steps, in the order they run. */
export const DEPLOY_STEPS = ['checking', 'pushing', 'building', 'uploading'] as const;
export type DeployStep = (typeof DEPLOY_STEPS)[number];

export type DeployStatus = 'queued' | DeployStep | 'succeeded' | 'failed';

export const ACTIVE_DEPLOY_STATUSES: DeployStatus[] = ['queued', ...DEPLOY_STEPS];

export const DEPLOY_STEP_LABELS: Record<DeployStep, string> = {
	checking: 'Check',
	pushing: 'Push backend',
	building: 'Build frontend',
	uploading: 'Upload'
};

/**
 * queued → checking → pushing → building → uploading → succeeded, each step only to the next
 * one; any active status may fail. Terminal statuses never change again.
 */
export function canAdvance(from: DeployStatus, to: DeployStatus): boolean {
	if (!ACTIVE_DEPLOY_STATUSES.includes(from)) return false;
	if (to === 'failed') return true;
	const order: DeployStatus[] = ['queued', ...DEPLOY_STEPS, 'succeeded'];
	return order.indexOf(to) === order.indexOf(from) + 1;
}

export const DEPLOY_LIMITS = {
	/** Largest log piece one append may carry. */
	logChunkChars: 8_000,
	/** Most log pieces kept per deployment; later output is dropped with a note. */
	logChunksPerDeployment: 400,
	/** Longest error message stored. */
	errorChars: 2_000,
	/** Deployments listed in the history. */
	historyLength: 20,
	/**
	 * An active deployment with no progress for this long is taken as abandoned (the builder's
	 * server stopped mid-deploy), so it no longer blocks the next one.
	 */
	staleAfterMs: 20 * 60_000
} as const;

/** Environment variables of a generated app, set on its deployment at each deploy. */
export const APP_ENV_LIMITS = {
	nameChars: 64,
	valueBytes: 8 * 1024,
	perProject: 50
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` cannot name an app's environment variable, or null. */
export function envVarNameProblem(name: string): string | null {
	if (!ENV_NAME.test(name) || name.length > APP_ENV_LIMITS.nameChars) {
		return `A variable name is letters, digits and underscores, not starting with a digit, at most ${APP_ENV_LIMITS.nameChars} characters.`;
	}
	if (/^CONVEX_/i.test(name)) return 'Names starting with CONVEX_ are set by Convex itself.';
	return null;
}

/** Why `value` cannot be a variable's value, or null. */
export function envVarValueProblem(value: string): string | null {
	if (new TextEncoder().encode(value).length > APP_ENV_LIMITS.valueBytes) {
		return `A value is at most ${APP_ENV_LIMITS.valueBytes / 1024} KiB.`;
	}
	return null;
}
