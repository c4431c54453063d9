// Key material Convex Auth needs, generated fresh for each emulator (nothing secret persists).
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';

export interface AuthEnv {
	/** PKCS8 PEM with newlines replaced by spaces, the form Convex Auth's docs store it in. */
	JWT_PRIVATE_KEY: string;
	/** `{"keys":[...]}` with the public half. */
	JWKS: string;
	/** The issuer of the tokens: the deployment's HTTP actions URL. */
	CONVEX_SITE_URL: string;
}

export async function generateAuthEnv(siteUrl: string): Promise<AuthEnv> {
	const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
	const pem = await exportPKCS8(privateKey);
	const jwk = await exportJWK(publicKey);
	return {
		JWT_PRIVATE_KEY: pem.trimEnd().replace(/\n/g, ' '),
		JWKS: JSON.stringify({ keys: [{ use: 'sig', alg: 'RS256', ...jwk }] }),
		CONVEX_SITE_URL: siteUrl
	};
}
