// The deploy runner (the builder's server, src/lib/server/deploy) proves itself with the
// operator's DEPLOY_RUNNER_SECRET, set on both the builder's Convex deployment and its server.
// Only then do functions hand out plaintext a deploy needs (the app's environment variables),
// so a browser, which never has the secret, never sees them.
import { fail } from '../errors';

export function checkRunnerSecret(given: string) {
	const expected = process.env.DEPLOY_RUNNER_SECRET;
	if (!expected) {
		fail(
			'NOT_CONFIGURED',
			'The operator has not set DEPLOY_RUNNER_SECRET on the builder, so deploys cannot read the app’s environment variables.'
		);
	}
	if (!constantTimeEqual(given, expected))
		fail('FORBIDDEN', 'Only the deploy runner may read these.');
}

function constantTimeEqual(a: string, b: string): boolean {
	const x = new TextEncoder().encode(a);
	const y = new TextEncoder().encode(b);
	let diff = x.length ^ y.length;
	for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
	return diff === 0;
}
