// Content-addressed blobs: write once, share forever.
import type { MutationCtx, QueryCtx } from '../_generated/server';
import { utf8Bytes } from '../../src/lib/shared/paths';

export async function sha256Hex(text: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function findBlob(ctx: QueryCtx, hash: string) {
	return await ctx.db
		.query('blobs')
		.withIndex('by_hash', (q) => q.eq('hash', hash))
		.unique();
}

/** Stores `content` unless a blob with the same hash exists; returns its hash and size. */
export async function putBlob(ctx: MutationCtx, content: string) {
	const hash = await sha256Hex(content);
	const size = utf8Bytes(content);
	if (!(await findBlob(ctx, hash))) await ctx.db.insert('blobs', { hash, content, size });
	return { hash, size };
}
