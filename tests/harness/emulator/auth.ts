// Verifies client JWTs the way a Convex deployment does for a provider whose issuer is the
// deployment itself (Convex Auth): signature against the JWKS, `iss`, `aud` and expiry.
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { UserIdentity } from 'convex/server';

export interface VerifiedToken {
	identity: UserIdentity;
	/** Unix milliseconds, or null for a token without `exp`. */
	expiresAt: number | null;
}

export class AuthFailure extends Error {}

// Standard OIDC claims are exposed under camelCase names in UserIdentity.
const CLAIM_NAMES: Record<string, string> = {
	given_name: 'givenName',
	family_name: 'familyName',
	preferred_username: 'preferredUsername',
	profile: 'profileUrl',
	picture: 'pictureUrl',
	email_verified: 'emailVerified',
	phone_number: 'phoneNumber',
	phone_number_verified: 'phoneNumberVerified',
	updated_at: 'updatedAt'
};
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti']);

export function identityFromClaims(payload: JWTPayload): UserIdentity {
	const extra: Record<string, unknown> = {};
	for (const [claim, value] of Object.entries(payload)) {
		if (RESERVED_CLAIMS.has(claim)) continue;
		extra[CLAIM_NAMES[claim] ?? claim] = value;
	}
	const issuer = String(payload.iss);
	const subject = String(payload.sub);
	return { ...extra, subject, issuer, tokenIdentifier: `${issuer}|${subject}` } as UserIdentity;
}

export class TokenVerifier {
	private readonly keys: ReturnType<typeof createLocalJWKSet> | null;

	/** Without a JWKS every token is refused (the app has no way to issue valid ones). */
	constructor(
		jwks: string | undefined,
		private readonly issuer: string,
		private readonly audience = 'convex'
	) {
		this.keys = jwks ? createLocalJWKSet(JSON.parse(jwks)) : null;
	}

	async verify(token: string): Promise<VerifiedToken> {
		if (this.keys === null) throw new AuthFailure('No JWKS is configured for this emulator');
		try {
			const { payload } = await jwtVerify(token, this.keys, {
				issuer: this.issuer,
				audience: this.audience
			});
			if (typeof payload.sub !== 'string') throw new AuthFailure('Token has no `sub` claim');
			return {
				identity: identityFromClaims(payload),
				expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null
			};
		} catch (error) {
			if (error instanceof AuthFailure) throw error;
			if (error instanceof errors.JWTExpired) throw new AuthFailure('Token expired');
			const detail = error instanceof Error ? error.message : String(error);
			throw new AuthFailure(
				`Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired. (${detail})`
			);
		}
	}

	/** For HTTP requests: no header means anonymous; a bad token is an error. */
	async fromAuthorizationHeader(header: string | undefined): Promise<VerifiedToken | null> {
		if (header === undefined || header === '') return null;
		const match = /^Bearer\s+(.+)$/i.exec(header);
		if (match === null) {
			throw new AuthFailure('Only `Authorization: Bearer <JWT>` is supported by the emulator');
		}
		return await this.verify(match[1].trim());
	}
}
