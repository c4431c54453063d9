// Serves convex-test's file storage over HTTP: the upload URLs from generateUploadUrl() and
// the download URLs from getUrl(), which Backend rewrites to /api/storage/* on this server.
import { convexGlobal, type Backend } from './backend';

export async function storeUpload(
	backend: Backend,
	bytes: Uint8Array,
	contentType: string | undefined
): Promise<string> {
	// Copied so the Blob owns a plain ArrayBuffer (a Buffer may sit on a shared pool).
	const blob = new Blob([Uint8Array.from(bytes)], contentType ? { type: contentType } : {});
	return await backend.queue.run(() =>
		backend.t.run(async (ctx) => (await ctx.storage.store(blob)) as string)
	);
}

/** The stored file whose URL ends in `sha256` (convex-test names URLs by content hash). */
export async function readStoredFile(
	backend: Backend,
	sha256: string
): Promise<{ bytes: ArrayBuffer; type: string } | null> {
	return await backend.queue.run(() =>
		// A query, not t.run, so reading a file does not commit and wake every subscriber.
		backend.t.query(async (ctx) => {
			const doc = await ctx.db.system
				.query('_storage')
				.filter((q) => q.eq(q.field('sha256'), sha256))
				.first();
			if (doc === null) return null;
			const blob = (await convexGlobal().jsSyscall('storage/getBlob', {
				storageId: doc._id
			})) as Blob | null;
			if (blob === null || blob === undefined) return null;
			return { bytes: await blob.arrayBuffer(), type: blob.type };
		})
	);
}
