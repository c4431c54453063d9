// Server-sent events over a Node response: `data: <json>\n\n` per chunk, then `data: [DONE]`.
// Writing waits for each chunk to reach the socket, so a scripted break cuts the stream after
// exactly the chunks the client has received, and a delay is real time between deltas.
import type { ServerResponse } from 'node:http';
import type { StreamEvent } from './openai';

export const SSE_HEADERS = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache',
	connection: 'keep-alive'
} as const;

export function encodeEvent(data: unknown): string {
	return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function gone(res: ServerResponse): boolean {
	return res.destroyed || res.writableEnded;
}

function write(res: ServerResponse, text: string): Promise<void> {
	return new Promise((resolve) => {
		if (gone(res)) return resolve();
		// The callback fires once the data is flushed to the socket (or on error).
		res.write(text, () => resolve());
	});
}

/** Waits `ms`, resolving early when the client goes away so no timer outlives the request. */
export function sleepUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
	if (ms <= 0 || gone(res)) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			res.off('close', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		res.on('close', done);
	});
}

export interface StreamOptions {
	delayMs: number;
	/** Destroy the socket after this many text events (no finish chunk, no [DONE]). */
	breakAfterTextChunks?: number;
}

/** Streams the events; returns how the stream ended. */
export async function writeStream(
	res: ServerResponse,
	events: StreamEvent[],
	{ delayMs, breakAfterTextChunks }: StreamOptions
): Promise<'streamed' | 'broken' | 'client-closed'> {
	res.writeHead(200, SSE_HEADERS);
	res.flushHeaders();
	let textSent = 0;
	for (const event of events) {
		if (breakAfterTextChunks !== undefined && event.kind !== 'role') {
			if (event.kind !== 'text' || textSent >= breakAfterTextChunks) return breakStream(res);
		}
		// The role chunk opens the stream at once; deltas are paced.
		if (event.kind !== 'role') await sleepUnlessClosed(res, delayMs);
		if (gone(res)) return 'client-closed';
		await write(res, encodeEvent(event.payload));
		if (event.kind === 'text') textSent++;
	}
	if (breakAfterTextChunks !== undefined) return breakStream(res);
	if (gone(res)) return 'client-closed';
	await write(res, encodeEvent('[DONE]'));
	res.end();
	return 'streamed';
}

/**
 * Kills the connection without the terminating zero-length chunk, so the client's body
 * reader fails (undici: "terminated") the way it does when a provider drops a stream.
 */
function breakStream(res: ServerResponse): 'broken' {
	res.socket?.destroy();
	res.destroy();
	return 'broken';
}
