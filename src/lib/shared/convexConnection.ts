// The ways a person connects the builder to Convex, and the checks their input must pass
// before anything is sent anywhere. Pure module: shared by convex/ and the Settings page.

export type ConnectionKind = 'team' | 'deployKey' | 'selfHosted';

export const CONNECTION_KINDS: Record<ConnectionKind, { label: string; help: string }> = {
	team: {
		label: 'Team access token',
		help: 'From the Convex dashboard (Team settings → Access tokens). The builder creates a Convex project and deployment for each app you deploy.'
	},
	deployKey: {
		label: 'Deploy key',
		help: 'A production deploy key of one existing deployment (Deployment settings → Deploy keys).'
	},
	selfHosted: {
		label: 'Self-hosted backend',
		help: 'The URL of your self-hosted Convex backend and its admin key.'
	}
};

const MAX_CREDENTIAL_CHARS = 2_000;
const MAX_URL_CHARS = 500;
/** `prod:<deployment name>|<secret>`, as the dashboard shows deploy keys. */
const DEPLOY_KEY = /^(prod|dev|preview):([a-z0-9-]+)(:[a-z0-9-]+)?\|\S+$/;

export type ConnectionInput =
	| { kind: 'team'; credential: string }
	| { kind: 'deployKey'; credential: string }
	| { kind: 'selfHosted'; credential: string; url: string };

/** Why the input cannot be a connection, or null when its shape is right. */
export function connectionInputProblem(input: ConnectionInput): string | null {
	const credential = input.credential.trim();
	if (credential === '') return 'Paste the credential first.';
	if (credential.length > MAX_CREDENTIAL_CHARS || /\s/.test(credential)) {
		return 'That does not look like a Convex credential (no spaces, at most 2,000 characters).';
	}
	if (input.kind === 'deployKey' && !DEPLOY_KEY.test(credential)) {
		return 'A deploy key looks like prod:your-deployment-123|…; copy it whole from the dashboard.';
	}
	if (
		input.kind === 'selfHosted' &&
		(input.url.length > MAX_URL_CHARS || normalizedBackendUrl(input.url) === null)
	) {
		return 'The backend URL must be an http(s) address, like https://convex.example.com.';
	}
	return null;
}

/** The deployment a deploy key is for, by name (`prod:happy-otter-123|…` → happy-otter-123). */
export function deploymentNameOfKey(deployKey: string): string | null {
	return DEPLOY_KEY.exec(deployKey.trim())?.[2] ?? null;
}

/** An http(s) URL without a trailing slash, or null. */
export function normalizedBackendUrl(url: string): string | null {
	try {
		const parsed = new URL(url.trim());
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
		if (parsed.username || parsed.password || parsed.search || parsed.hash) return null;
		return parsed.href.replace(/\/+$/, '');
	} catch {
		return null;
	}
}
