// Export runs in the browser: the files the person can already read, zipped locally, so the
// server never builds (or holds) an archive.
import type { ConvexClient } from 'convex/browser';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import { LIMITS } from '$lib/shared/limits';
import { buildProjectZip } from './zip';

export async function exportProjectZip(
	client: ConvexClient,
	projectId: Id<'projects'>
): Promise<Uint8Array> {
	const meta = await client.query(api.files.list, { projectId });
	const hashes = [...new Set(meta.map((f) => f.hash))];
	const contents = new Map<string, string>();
	for (let i = 0; i < hashes.length; i += LIMITS.hashesPerRead) {
		const batch = hashes.slice(i, i + LIMITS.hashesPerRead);
		for (const blob of await client.query(api.files.read, { projectId, hashes: batch })) {
			contents.set(blob.hash, blob.content);
		}
	}
	return buildProjectZip(meta.map((f) => ({ path: f.path, content: contents.get(f.hash)! })));
}

/** A file name from a project name: letters, digits and dashes only. */
export function zipFileName(projectName: string): string {
	const slug = projectName
		.normalize('NFKD')
		.replace(/[^\w\s-]/g, '')
		.trim()
		.replace(/[\s_]+/g, '-')
		.toLowerCase();
	return `${slug || 'project'}.zip`;
}

/** Hands bytes to the browser as a download. */
export function saveBytes(bytes: Uint8Array, fileName: string) {
	const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	a.click();
	// The click has started the download by the time this runs.
	setTimeout(() => URL.revokeObjectURL(url), 0);
}
