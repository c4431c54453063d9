import type { IncomingMessage, ServerResponse } from 'node:http';

// The browser app runs on another origin, and may be cross-origin isolated (COEP), so every
// response is readable from anywhere.
export const OPEN_HEADERS: Record<string, string> = {
	'Access-Control-Allow-Origin': '*',
	'Cross-Origin-Resource-Policy': 'cross-origin'
};

export function answerPreflight(req: IncomingMessage, res: ServerResponse) {
	res.writeHead(204, {
		...OPEN_HEADERS,
		'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
		'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
		'Access-Control-Max-Age': '86400'
	});
	res.end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { ...OPEN_HEADERS, 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, body: string) {
	res.writeHead(status, { ...OPEN_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
	res.end(body);
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY_BYTES) throw new Error('Request body is larger than 64 MiB');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}
