'use node';
// The only place secrets are encrypted or decrypted. A Node action because Convex's default
// runtime has no `crypto.subtle.encrypt`/`decrypt`; everything else about secrets (who may
// read, write, or list them) lives in convex/secrets.ts, which calls these.
import { v } from 'convex/values';
import { internalAction } from './_generated/server';
import { open, seal } from './model/secretBox';

const vSealed = v.object({ ciphertext: v.string(), iv: v.string(), keyId: v.string() });

/** Seals a plaintext bound to `context`. Unchecked: callers decide whose secret it is. */
export const sealUnchecked = internalAction({
	args: { plaintext: v.string(), context: v.string() },
	returns: vSealed,
	handler: async (_ctx, { plaintext, context }) => await seal(plaintext, context)
});

/** Opens a sealed secret. Unchecked: the result is plaintext, for server-side use only. */
export const openUnchecked = internalAction({
	args: { sealed: vSealed, context: v.string() },
	returns: v.string(),
	handler: async (_ctx, { sealed, context }) => await open(sealed, context)
});
