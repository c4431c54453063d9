// Serves convex-test's file storage over HTTP: the upload URLs from generateUploadUrl() and
// the download URLs from getUrl(), which Backend rewrites to /api/storage/* on this server.
import type { GenericDataModel, GenericQueryCtx } from 'convex/server';
import { convexGlobal, FAKE_STORAGE_PREFIX, type Backend } from './backend';

/** Stores an upload in the app's storage, or in a component's (`componentPath`). */
export async function storeUpload(
	backend: Backend,
	bytes: Uint8Array,
	contentType: string | undefined,
	componentPath: string | null = null
): Promise<string> {
	// Copied so the Blob owns a plain ArrayBuffer (a Buffer may sit on a shared pool).
	const blob = new Blob([Uint8Array.from(bytes)], contentType ? { type: contentType } : {});
	const store = async (ctx: { storage: { store(blob: Blob): Promise<unknown> } }) =>
		(await ctx.storage.store(blob)) as string;
	return await backend.queue.run(() =>
		componentPath ? backend.inComponent(componentPath, store) : backend.t.run(store)
	);
}

type StoredFile = { bytes: ArrayBuffer; type: string };

/**
 * The stored file whose URL ends in `sha256` (convex-test names URLs by content hash), from
 * the app's storage or, failing that, a component's.
 */
export async function readStoredFile(backend: Backend, sha256: string): Promise<StoredFile | null> {
	const read = async (ctx: GenericQueryCtx<GenericDataModel>): Promise<StoredFile | null> => {
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
	};
	return await backend.queue.run(async () => {
		// A query, not t.run, so reading an app file does not commit and wake every subscriber.
		const own = await backend.t.query(read as unknown as Parameters<typeof backend.t.query>[0]);
		if (own !== null) return own;
		for (const path of backend.componentPaths) {
			const found = await backend.inComponent(path, read);
			if (found !== null) return found;
		}
		return null;
	});
}

/**
 * Functions fetch the storage URLs they hand out (static hosting streams its assets that
 * way); those URLs are on convex-test's fake host, so this process answers them itself.
 */
export function serveFakeStorageUrls(currentBackend: () => Backend): () => void {
	const realFetch = globalThis.fetch;
	globalThis.fetch = async (input, init) => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		if (!url.startsWith(FAKE_STORAGE_PREFIX)) return realFetch(input, init);
		const file = await readStoredFile(currentBackend(), url.slice(FAKE_STORAGE_PREFIX.length));
		// Another emulator in this process may hold it (each wraps the fetch before it).
		if (file === null) return realFetch(input, init);
		return new Response(file.bytes, {
			headers: { 'Content-Type': file.type || 'application/octet-stream' }
		});
	};
	return () => {
		globalThis.fetch = realFetch;
	};
}
