// The browser's side of the local runtime: the same PreviewRuntime as WebContainer, carried out
// by the SvelteKit server (src/lib/server/runtime) over fetch, with its events streamed back.
import type {
	CommandResult,
	FileChange,
	FileHash,
	FileWrite,
	PreviewRuntime,
	RuntimeEvent,
	RuntimeStatus
} from './runtime';

type TokenSource = () => Promise<string | null>;

/** Asks the server whether the operator turned the local runtime on. */
export async function localRuntimeEnabled(): Promise<boolean> {
	try {
		const response = await fetch('/api/runtime');
		return response.ok && ((await response.json()) as { enabled: boolean }).enabled;
	} catch {
		return false;
	}
}

export class LocalRuntime implements PreviewRuntime {
	readonly kind = 'local' as const;
	#listeners = new Set<(event: RuntimeEvent) => void>();
	#events: AbortController | null = null;
	#disposed = false;

	constructor(
		readonly projectId: string,
		readonly token: TokenSource
	) {}

	/** Opens the event stream; the first event is a snapshot of status and log so far. */
	connect() {
		if (this.#events || this.#disposed) return;
		this.#events = new AbortController();
		void this.#readEvents(this.#events.signal);
	}

	on(listener: (event: RuntimeEvent) => void) {
		this.#listeners.add(listener);
		this.connect();
		return () => this.#listeners.delete(listener);
	}

	async mount(files: FileWrite[]) {
		const { status } = (await this.#post({ op: 'mount', files })) as { status: RuntimeStatus };
		// The event stream may connect after this; the session decides from this status whether
		// the app is already running (a reload, or coming back from another runtime).
		this.#emitStatus(status);
	}

	async apply(changes: FileChange[]) {
		if (changes.length > 0) await this.#post({ op: 'apply', changes });
	}

	async install() {
		await this.#post({ op: 'install' });
	}

	async start(): Promise<string> {
		return ((await this.#post({ op: 'start' })) as { url: string }).url;
	}

	async resume(files: FileHash[]): Promise<string | null> {
		const { url } = (await this.#post({ op: 'resume', files })) as { url: string | null };
		// As with mount: the answer holds the status, whenever the event stream delivers it.
		if (url) this.#emitStatus({ phase: 'ready', url });
		return url;
	}

	async stop() {
		await this.#post({ op: 'stop' });
	}

	async readFiles(paths: string[]): Promise<(string | null)[]> {
		return ((await this.#post({ op: 'read', paths })) as { files: (string | null)[] }).files;
	}

	async exec(command: string, options?: { timeoutMs?: number }): Promise<CommandResult> {
		const body = await this.#post({ op: 'exec', command, timeoutMs: options?.timeoutMs });
		return (body as { result: CommandResult }).result;
	}

	async dispose() {
		this.#disposed = true;
		this.#events?.abort();
		this.#listeners.clear();
	}

	async #headers(): Promise<Record<string, string>> {
		const token = await this.token();
		return token ? { authorization: `Bearer ${token}` } : {};
	}

	async #post(body: unknown): Promise<unknown> {
		// The stream may have closed when the server had no room for this preview.
		this.connect();
		const response = await fetch(`/api/runtime/${this.projectId}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(await this.#headers()) },
			body: JSON.stringify(body)
		});
		const data = (await response.json().catch(() => null)) as {
			ok?: boolean;
			error?: string;
			message?: string;
		} | null;
		if (!response.ok || !data?.ok) {
			throw new Error(
				data?.error ?? data?.message ?? `The local runtime answered ${response.status}.`
			);
		}
		return data;
	}

	async #readEvents(signal: AbortSignal) {
		let delay = 500;
		while (!signal.aborted) {
			try {
				const response = await fetch(`/api/runtime/${this.projectId}`, {
					headers: await this.#headers(),
					signal
				});
				if (!response.ok || !response.body) {
					const data = (await response.json().catch(() => null)) as { message?: string } | null;
					const reason = data?.message ?? `The local runtime answered ${response.status}.`;
					if (response.status === 429) {
						// The server runs as many previews as it allows. That passes: the preview is
						// stopped, not impossible, and the next request opens the stream again.
						this.#emitStatus({ phase: 'stopped', reason });
						this.#events = null;
						return;
					}
					this.#emitStatus({ phase: 'unavailable', reason });
					if (response.status === 404 || response.status === 401) return;
				} else {
					delay = 500;
					await this.#consume(response.body, signal);
				}
			} catch {
				if (signal.aborted) return;
			}
			// The server restarted or the connection dropped: reconnect, backing off.
			await new Promise((r) => setTimeout(r, delay));
			delay = Math.min(delay * 2, 10_000);
		}
	}

	async #consume(body: ReadableStream<Uint8Array>, signal: AbortSignal) {
		const reader = body.getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		while (!signal.aborted) {
			const { done, value } = await reader.read();
			if (done) return;
			buffer += decoder.decode(value, { stream: true });
			let end: number;
			while ((end = buffer.indexOf('\n\n')) !== -1) {
				const frame = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				const data = frame
					.split('\n')
					.filter((line) => line.startsWith('data: '))
					.map((line) => line.slice(6))
					.join('\n');
				if (data) this.#dispatch(JSON.parse(data));
			}
		}
	}

	#dispatch(event: RuntimeEvent | { type: 'snapshot'; status: RuntimeStatus; log: string }) {
		if (event.type === 'snapshot') {
			this.#emit({ type: 'log', text: event.log, reset: true });
			this.#emitStatus(event.status);
		} else {
			this.#emit(event);
		}
	}

	#emitStatus(status: RuntimeStatus) {
		this.#emit({ type: 'status', status });
	}

	#emit(event: RuntimeEvent) {
		for (const listener of this.#listeners) listener(event);
	}
}
