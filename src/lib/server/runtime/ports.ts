import { createServer } from 'node:net';

/** A loopback port free right now (the OS picks it). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** Resolves once something accepts HTTP on the port, or rejects after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, gone?: () => boolean) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (gone?.()) throw new Error('The process exited before it was ready.');
		try {
			// A dev server's first answer compiles the app's server side: seconds on a busy
			// machine. Cutting it short would only start that work again.
			await fetch(url, { signal: AbortSignal.timeout(15_000) });
			return;
		} catch {
			// Refused until the server listens: asking again soon costs nothing on loopback,
			// and every 100 ms of waiting here is 100 ms more before the preview shows.
			await new Promise((r) => setTimeout(r, 25));
		}
	}
	throw new Error(`Nothing answered at ${url} within ${Math.round(timeoutMs / 1000)} s.`);
}
