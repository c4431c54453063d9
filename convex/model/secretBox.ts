// Sealing and opening per-user secrets with AES-256-GCM (Web Crypto). The key comes from the
// deployment's environment, never from the database, so a copy of the tables alone reveals
// nothing. Convex's default runtime does not implement `crypto.subtle.encrypt`/`decrypt`, so
// only Node actions (convex/secretsCrypto.ts) call seal/open; key checks run anywhere.
import { fail } from '../errors';

export const SET_SECRETS_KEY_HINT = 'npx convex env set SECRETS_KEY $(openssl rand -base64 32)';

/** A sealed secret as stored: base64 text, and the id of the key that sealed it. */
export interface Sealed {
	/** AES-GCM output: ciphertext followed by the 16-byte authentication tag. */
	ciphertext: string;
	/** The 12-byte nonce, fresh for every seal. */
	iv: string;
	/** Which SECRETS_KEY sealed it (a fingerprint), so a rotated key is recognized. */
	keyId: string;
}

interface SecretsKey {
	id: string;
	raw: Uint8Array<ArrayBuffer>;
}

function decodeKey(name: string, text: string): Uint8Array<ArrayBuffer> {
	let raw: Uint8Array<ArrayBuffer>;
	try {
		raw = fromBase64(text.trim());
	} catch {
		raw = new Uint8Array(0);
	}
	if (raw.length !== 32) {
		fail(
			'NOT_CONFIGURED',
			`${name} must be 32 random bytes in base64. The operator can set a new one with: ${SET_SECRETS_KEY_HINT}`
		);
	}
	return raw;
}

async function fingerprint(raw: Uint8Array<ArrayBuffer>): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
	// 32 bits of a hash of a 256-bit random key: enough to tell keys apart, useless to guess one.
	return Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The current key (SECRETS_KEY) and, during a rotation, the previous one (SECRETS_KEY_PREVIOUS),
 * which is only ever used to open. Fails with NOT_CONFIGURED when SECRETS_KEY is missing.
 */
export async function secretsKeys(
	env: Record<string, string | undefined> = process.env
): Promise<{ current: SecretsKey; previous: SecretsKey | null }> {
	const currentText = env.SECRETS_KEY;
	if (!currentText || currentText.trim() === '') {
		fail(
			'NOT_CONFIGURED',
			`Model keys cannot be saved: this deployment has no SECRETS_KEY to encrypt them with. The operator sets it once with: ${SET_SECRETS_KEY_HINT}`
		);
	}
	const current = decodeKey('SECRETS_KEY', currentText);
	const previousText = env.SECRETS_KEY_PREVIOUS;
	const previous = previousText ? decodeKey('SECRETS_KEY_PREVIOUS', previousText) : null;
	return {
		current: { id: await fingerprint(current), raw: current },
		previous: previous ? { id: await fingerprint(previous), raw: previous } : null
	};
}

async function importKey(raw: Uint8Array<ArrayBuffer>, usage: 'encrypt' | 'decrypt') {
	return await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);
}

/**
 * Encrypts `plaintext` with the current key. `context` (e.g. user and provider) is bound as
 * additional data: a sealed value copied onto another person's row does not open there.
 */
export async function seal(
	plaintext: string,
	context: string,
	env?: Record<string, string | undefined>
): Promise<Sealed> {
	const { current } = await secretsKeys(env);
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const ciphertext = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
		await importKey(current.raw, 'encrypt'),
		new TextEncoder().encode(plaintext)
	);
	return { ciphertext: toBase64(new Uint8Array(ciphertext)), iv: toBase64(iv), keyId: current.id };
}

/** Decrypts a sealed value; fails plainly when its key is gone or the data was altered. */
export async function open(
	sealed: Sealed,
	context: string,
	env?: Record<string, string | undefined>
): Promise<string> {
	const { current, previous } = await secretsKeys(env);
	const key = [current, previous].find((k) => k?.id === sealed.keyId);
	if (!key) {
		fail(
			'NOT_CONFIGURED',
			'This key was saved under a SECRETS_KEY the deployment no longer has. Save the key again in Settings.'
		);
	}
	let plaintext: ArrayBuffer;
	try {
		plaintext = await crypto.subtle.decrypt(
			{
				name: 'AES-GCM',
				iv: fromBase64(sealed.iv),
				additionalData: new TextEncoder().encode(context)
			},
			await importKey(key.raw, 'decrypt'),
			fromBase64(sealed.ciphertext)
		);
	} catch {
		fail('CONFLICT', 'A stored key could not be decrypted (it was altered). Save it again.');
	}
	return new TextDecoder().decode(plaintext);
}

function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}
