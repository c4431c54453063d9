// The workbench's state for one project. File metadata comes from a live Convex query;
// contents are fetched once per blob hash and cached. Unsaved edits live in buffers, each
// remembering the hash it was based on, so a file that changes elsewhere under unsaved edits
// becomes a visible conflict instead of being overwritten in either direction.
import type { ConvexClient } from 'convex/browser';
import { getContext, setContext } from 'svelte';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import type { FileMeta } from '$convex/model/validators';
import { appErrorOf, errorMessage, type AppErrorData } from '$lib/shared/errors';
import { checkPath } from '$lib/shared/paths';

type FileEdit = (typeof api.files.save)['_args']['edits'][number];

interface Buffer {
	/** The hash the edits started from; null for a file that no longer exists. */
	baseHash: string | null;
	text: string;
}

export interface Conflict {
	path: string;
	/** What is saved now: null when the file was deleted elsewhere. */
	theirsHash: string | null;
}

export class Workspace {
	readonly projectId: Id<'projects'>;
	#client: ConvexClient;
	#unsubscribe: () => void;

	/** null until the first result arrives. */
	files = $state.raw<FileMeta[] | null>(null);
	loadError = $state<AppErrorData | null>(null);
	tabs = $state<string[]>([]);
	active = $state<string | null>(null);
	/** Folders made in the UI that hold no file yet (paths only exist through files). */
	emptyFolders = new SvelteSet<string>();
	/** The last failed operation, shown until dismissed. */
	error = $state<string | null>(null);
	savingPaths = new SvelteSet<string>();

	#contents = new SvelteMap<string, string>();
	#requested = new Set<string>();
	#queued = new Set<string>();
	#buffers = new SvelteMap<string, Buffer>();

	byPath = $derived(new Map((this.files ?? []).map((f) => [f.path, f])));

	/** Paths whose unsaved edits were overtaken by a change saved elsewhere. */
	conflicts = $derived.by(() => {
		const out: Conflict[] = [];
		for (const [path, buffer] of this.#buffers) {
			const theirsHash = this.byPath.get(path)?.hash ?? null;
			if (theirsHash !== buffer.baseHash && this.isDirty(path)) out.push({ path, theirsHash });
		}
		return out;
	});

	constructor(client: ConvexClient, projectId: Id<'projects'>) {
		this.#client = client;
		this.projectId = projectId;
		this.#unsubscribe = client.onUpdate(
			api.files.list,
			{ projectId },
			(files) => this.#onFiles(files),
			(error) =>
				(this.loadError = appErrorOf(error) ?? { code: 'NOT_FOUND', message: error.message })
		);
	}

	dispose() {
		this.#unsubscribe();
	}

	/** Contents for a hash, fetching it (batched with others) the first time it is asked for. */
	content(hash: string | null | undefined): string | undefined {
		if (!hash) return undefined;
		const cached = this.#contents.get(hash);
		if (cached === undefined) this.#request(hash);
		return cached;
	}

	/** Contents for many hashes at once, from the cache or fetched (for the preview runtime). */
	async load(hashes: string[]): Promise<Map<string, string>> {
		const out = new Map<string, string>();
		const missing: string[] = [];
		for (const hash of new Set(hashes)) {
			const cached = this.#contents.get(hash);
			if (cached === undefined) missing.push(hash);
			else out.set(hash, cached);
		}
		for (let i = 0; i < missing.length; i += 100) {
			const blobs = await this.#client.query(api.files.read, {
				projectId: this.projectId,
				hashes: missing.slice(i, i + 100)
			});
			for (const { hash, content } of blobs) {
				this.#contents.set(hash, content);
				out.set(hash, content);
			}
		}
		return out;
	}

	/** The text an editor should show: unsaved edits, else the saved content. */
	text(path: string): string | undefined {
		return this.#buffers.get(path)?.text ?? this.content(this.byPath.get(path)?.hash);
	}

	isDirty(path: string): boolean {
		const buffer = this.#buffers.get(path);
		if (!buffer) return false;
		return buffer.baseHash === null || buffer.text !== this.#contents.get(buffer.baseHash);
	}

	conflictFor(path: string): Conflict | undefined {
		return this.conflicts.find((c) => c.path === path);
	}

	/** Called as the person types. Edits equal to the saved text drop the buffer. */
	setText(path: string, text: string) {
		const buffer = this.#buffers.get(path);
		const baseHash = buffer ? buffer.baseHash : (this.byPath.get(path)?.hash ?? null);
		if (baseHash !== null && this.#contents.get(baseHash) === text) this.#buffers.delete(path);
		else this.#buffers.set(path, { baseHash, text });
	}

	open(path: string) {
		if (!this.tabs.includes(path)) this.tabs.push(path);
		this.active = path;
	}

	close(path: string) {
		const i = this.tabs.indexOf(path);
		if (i === -1) return;
		this.tabs.splice(i, 1);
		if (this.active === path) this.active = this.tabs[Math.min(i, this.tabs.length - 1)] ?? null;
		if (!this.isDirty(path)) this.#buffers.delete(path);
	}

	/** Saves one file's unsaved edits. A conflict is shown, never overwritten. */
	async save(path: string) {
		const buffer = this.#buffers.get(path);
		if (!buffer || !this.isDirty(path)) return;
		await this.#save(path, buffer.text, buffer.baseHash);
	}

	/** Resolves a conflict by saving my text over what is saved now (theirs stays in history). */
	async keepMine(path: string) {
		const buffer = this.#buffers.get(path);
		if (!buffer) return;
		await this.#save(path, buffer.text, this.byPath.get(path)?.hash ?? null);
	}

	/** Resolves a conflict by dropping my unsaved edits. */
	takeTheirs(path: string) {
		this.#buffers.delete(path);
		if (!this.byPath.has(path)) this.close(path);
	}

	async createFile(path: string) {
		const checked = checkPath(path);
		if (!checked.ok) return this.#fail(checked.reason);
		const ok = await this.#commit([
			{ kind: 'write', path: checked.path, content: '', baseHash: null }
		]);
		if (ok) this.open(checked.path);
	}

	createFolder(path: string) {
		const checked = checkPath(path);
		if (!checked.ok) return this.#fail(checked.reason);
		this.emptyFolders.add(checked.path);
	}

	/** Renames a file, or a folder with everything in it, as one checkpoint. */
	async rename(from: string, to: string) {
		const checked = checkPath(to);
		if (!checked.ok) return this.#fail(checked.reason);
		const target = checked.path;
		const moves = this.#under(from).map((f) => ({
			from: f.path,
			to: target + f.path.slice(from.length)
		}));
		if (moves.length > 0) {
			const edits = moves.map((m) => ({
				kind: 'rename' as const,
				from: m.from,
				to: m.to,
				baseHash: this.byPath.get(m.from)!.hash
			}));
			// Tabs move first: the new file list arrives before the mutation resolves, and
			// tabs still on the old paths would be closed as deleted.
			for (const m of moves) this.#moveOpenFile(m.from, m.to);
			if (!(await this.#commit(edits))) {
				for (const m of moves) this.#moveOpenFile(m.to, m.from);
				return;
			}
		}
		for (const folder of [...this.emptyFolders]) {
			if (folder === from || folder.startsWith(from + '/')) {
				this.emptyFolders.delete(folder);
				this.emptyFolders.add(target + folder.slice(from.length));
			}
		}
	}

	/** Deletes a file, or a folder with everything in it, as one checkpoint. */
	async remove(path: string) {
		const files = this.#under(path);
		if (files.length > 0) {
			const ok = await this.#commit(
				files.map((f) => ({ kind: 'delete' as const, path: f.path, baseHash: f.hash }))
			);
			if (!ok) return;
		}
		for (const f of files) {
			this.#buffers.delete(f.path);
			this.close(f.path);
		}
		for (const folder of [...this.emptyFolders]) {
			if (folder === path || folder.startsWith(path + '/')) this.emptyFolders.delete(folder);
		}
	}

	/** Files at `path`, or inside the folder `path`. */
	#under(path: string): FileMeta[] {
		return (this.files ?? []).filter((f) => f.path === path || f.path.startsWith(path + '/'));
	}

	#moveOpenFile(from: string, to: string) {
		const buffer = this.#buffers.get(from);
		if (buffer) {
			this.#buffers.delete(from);
			this.#buffers.set(to, buffer);
		}
		const i = this.tabs.indexOf(from);
		if (i !== -1) this.tabs[i] = to;
		if (this.active === from) this.active = to;
	}

	async #save(path: string, text: string, baseHash: string | null) {
		this.savingPaths.add(path);
		try {
			const result = await this.#client.mutation(api.files.save, {
				projectId: this.projectId,
				edits: [{ kind: 'write', path, content: text, baseHash }]
			});
			const saved = result.changes.find((c) => c.path === path)?.afterHash;
			if (saved) this.#contents.set(saved, text);
			// The mutation resolves after the file list reflects it, so the buffer can go.
			if (this.#buffers.get(path)?.text === text) this.#buffers.delete(path);
			this.error = null;
		} catch (e) {
			// A CONFLICT shows through `conflicts` once the newer file list arrives.
			if (appErrorOf(e)?.code !== 'CONFLICT') this.#fail(errorMessage(e));
		} finally {
			this.savingPaths.delete(path);
		}
	}

	async #commit(edits: FileEdit[]): Promise<boolean> {
		try {
			await this.#client.mutation(api.files.save, { projectId: this.projectId, edits });
			this.error = null;
			return true;
		} catch (e) {
			this.#fail(errorMessage(e));
			return false;
		}
	}

	#fail(message: string) {
		this.error = message;
	}

	#onFiles(files: FileMeta[]) {
		this.files = files;
		this.loadError = null;
		for (const f of files) {
			for (const folder of [...this.emptyFolders]) {
				if (f.path.startsWith(folder + '/')) this.emptyFolders.delete(folder);
			}
		}
		// Tabs of files deleted elsewhere close, unless they hold unsaved edits (a conflict).
		for (const path of [...this.tabs]) {
			if (!this.byPath.has(path) && !this.isDirty(path)) this.close(path);
		}
	}

	#request(hash: string) {
		if (this.#requested.has(hash)) return;
		this.#requested.add(hash);
		this.#queued.add(hash);
		if (this.#queued.size === 1) queueMicrotask(() => void this.#fetchQueued());
	}

	async #fetchQueued() {
		const hashes = [...this.#queued].slice(0, 100);
		for (const h of hashes) this.#queued.delete(h);
		if (this.#queued.size > 0) queueMicrotask(() => void this.#fetchQueued());
		try {
			const blobs = await this.#client.query(api.files.read, { projectId: this.projectId, hashes });
			for (const { hash, content } of blobs) this.#contents.set(hash, content);
		} catch (e) {
			for (const h of hashes) this.#requested.delete(h); // let a later read retry
			this.#fail(`Could not load file contents: ${errorMessage(e)}`);
		}
	}
}

const CONTEXT = Symbol('workspace');

export function setWorkspace(workspace: Workspace) {
	setContext(CONTEXT, workspace);
}

export function useWorkspace(): Workspace {
	return getContext(CONTEXT);
}
