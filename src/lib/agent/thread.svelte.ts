// A session's messages as the person sees them: saved messages from the agent component,
// plus the messages still streaming, rebuilt from their stream deltas as they arrive. The
// agent package ships this only as React hooks; this is the same protocol as a runes class.
//
// Three live queries against `sessions.messages`: the saved page, the list of active
// streams, and the deltas of those streams after the cursors already seen.
import type { ConvexClient } from 'convex/browser';
import { readUIMessageStream, type UIMessageChunk } from 'ai';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import { merge } from './merge';

type MessagesResult = (typeof api.sessions.messages)['_returnType'];
export type ThreadMessage = MessagesResult['page'][number];
type StreamInfo = { streamId: string; order: number; stepOrder: number; status: string };
type Delta = { streamId: string; start: number; end: number; parts: UIMessageChunk[] };

const PAGE_SIZE = 200;

export class SessionThread {
	#client: ConvexClient;
	#sessionId: Id<'sessions'>;
	#unsubscribe: (() => void)[] = [];
	#unsubscribeDeltas: (() => void) | null = null;

	#saved = $state.raw<ThreadMessage[] | null>(null);
	#streams = $state.raw<StreamInfo[]>([]);
	#deltas = new Map<string, Delta[]>();
	#cursors = new Map<string, number>();
	#streaming = $state.raw<Map<string, ThreadMessage>>(new Map());
	error = $state<string | null>(null);

	/** Saved and streaming messages in order; null while the first page loads. */
	messages = $derived.by(() => {
		if (this.#saved === null) return null;
		return merge(this.#saved, [...this.#streaming.values()]);
	});

	constructor(client: ConvexClient, sessionId: Id<'sessions'>) {
		this.#client = client;
		this.#sessionId = sessionId;
		const onError = (e: Error) => (this.error = e.message);
		this.#unsubscribe.push(
			client.onUpdate(
				api.sessions.messages,
				{ sessionId, paginationOpts: { cursor: null, numItems: PAGE_SIZE } },
				(result) => (this.#saved = result.page),
				onError
			),
			client.onUpdate(
				api.sessions.messages,
				{
					sessionId,
					paginationOpts: { cursor: null, numItems: 0 },
					streamArgs: { kind: 'list', startOrder: 0 }
				},
				(result) => this.#onStreams(result.streams),
				onError
			)
		);
	}

	dispose() {
		for (const stop of this.#unsubscribe) stop();
		this.#unsubscribeDeltas?.();
	}

	#onStreams(streams: MessagesResult['streams']) {
		if (streams?.kind !== 'list') return;
		const list = streams.messages as StreamInfo[];
		this.#streams = list;
		const live = new Set(list.map((s) => s.streamId));
		for (const id of [...this.#deltas.keys()]) {
			if (!live.has(id)) {
				this.#deltas.delete(id);
				this.#cursors.delete(id);
			}
		}
		this.#subscribeDeltas();
		void this.#rebuild();
	}

	/** Follows the deltas of the active streams from the cursors already seen. */
	#subscribeDeltas() {
		this.#unsubscribeDeltas?.();
		this.#unsubscribeDeltas = null;
		if (this.#streams.length === 0) return;
		this.#unsubscribeDeltas = this.#client.onUpdate(
			api.sessions.messages,
			{
				sessionId: this.#sessionId,
				paginationOpts: { cursor: null, numItems: 0 },
				streamArgs: {
					kind: 'deltas',
					cursors: this.#streams.map(({ streamId }) => ({
						streamId,
						cursor: this.#cursors.get(streamId) ?? 0
					}))
				}
			},
			(result) => {
				if (result.streams?.kind !== 'deltas') return;
				let grew = false;
				for (const delta of result.streams.deltas as Delta[]) {
					const cursor = this.#cursors.get(delta.streamId) ?? 0;
					if (delta.start < cursor) continue; // already applied
					const list = this.#deltas.get(delta.streamId) ?? [];
					list.push(delta);
					this.#deltas.set(delta.streamId, list);
					this.#cursors.set(delta.streamId, delta.end);
					grew = true;
				}
				if (grew) {
					void this.#rebuild();
					// Move the query's cursors forward so it only sends what is new.
					queueMicrotask(() => this.#subscribeDeltas());
				}
			},
			(e) => (this.error = e.message)
		);
	}

	/** Replays each stream's chunks into a message, with the AI SDK's own reducer. */
	async #rebuild() {
		const next = new Map<string, ThreadMessage>();
		for (const stream of this.#streams) {
			const parts = (this.#deltas.get(stream.streamId) ?? []).flatMap((d) => d.parts);
			const chunks = new ReadableStream<UIMessageChunk>({
				start(controller) {
					for (const part of parts) controller.enqueue(part);
					controller.close();
				}
			});
			let latest: { parts: ThreadMessage['parts'] } | undefined;
			try {
				for await (const message of readUIMessageStream({ stream: chunks })) {
					latest = message as unknown as { parts: ThreadMessage['parts'] };
				}
			} catch {
				// A half-received chunk sequence: show what could be read so far.
			}
			next.set(stream.streamId, {
				id: `stream:${stream.streamId}`,
				key: `stream-${stream.order}-${stream.stepOrder}`,
				order: stream.order,
				stepOrder: stream.stepOrder,
				role: 'assistant',
				status: stream.status === 'streaming' ? 'streaming' : 'pending',
				text: textOf(latest?.parts ?? []),
				parts: latest?.parts ?? [],
				_creationTime: Date.now()
			} as unknown as ThreadMessage);
		}
		this.#streaming = next;
	}
}

function textOf(parts: ThreadMessage['parts']): string {
	return parts.map((p) => (p.type === 'text' ? (p as { text: string }).text : '')).join('');
}
