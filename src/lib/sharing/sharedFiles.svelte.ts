// The files of a shared project, read through its share token, as a preview source: the
// read-only view previews the app with the same PreviewSession the workbench uses.
import type { ConvexClient } from 'convex/browser';
import { api } from '$convex/_generated/api';
import type { PreviewSource } from '$lib/preview/session.svelte';
import { shareRuntimeId } from '$lib/preview/runtimeIds';

const VIEWER_KEY = 'appbuilder.shareViewer';

export class SharedFiles implements PreviewSource {
	readonly projectId: string;
	files = $state.raw<{ path: string; hash: string }[] | null>(null);
	#contents = new Map<string, string>();
	#stop: () => void;

	constructor(
		readonly client: ConvexClient,
		readonly token: string
	) {
		// Each viewer gets a runtime of their own: what one visitor does in their preview is
		// never what another one sees.
		this.projectId = shareRuntimeId(token, viewerId());
		this.#stop = client.onUpdate(
			api.shares.get,
			{ token },
			(shared) => (this.files = shared.files),
			() => (this.files = null)
		);
	}

	async load(hashes: string[]): Promise<Map<string, string>> {
		const missing = [...new Set(hashes)].filter((h) => !this.#contents.has(h));
		for (let i = 0; i < missing.length; i += 100) {
			const blobs = await this.client.query(api.shares.read, {
				token: this.token,
				hashes: missing.slice(i, i + 100)
			});
			for (const { hash, content } of blobs) this.#contents.set(hash, content);
		}
		return new Map(hashes.map((h) => [h, this.#contents.get(h)!]));
	}

	dispose() {
		this.#stop();
	}
}

/** A random id for this browser tab's session, kept across reloads of the tab. */
function viewerId(): string {
	let id = sessionStorage.getItem(VIEWER_KEY);
	if (!id) {
		id = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) =>
			b.toString(16).padStart(2, '0')
		).join('');
		sessionStorage.setItem(VIEWER_KEY, id);
	}
	return id;
}
