// The `.convex.site` half: every request goes to the app's HTTP router (convex/http.ts)
// through convex-test's t.fetch, and the response streams back unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthFailure, type TokenVerifier } from './auth';
import type { Backend } from './backend';
import { answerPreflight, OPEN_HEADERS, readBody, sendJson, sendText } from './http-util';

export function createSiteHandler(backend: Backend, verifier: TokenVerifier, onWrite: () => void) {
	return async (req: IncomingMessage, res: ServerResponse) => {
		try {
			let identity = null;
			try {
				identity =
					(await verifier.fromAuthorizationHeader(req.headers.authorization))?.identity ?? null;
			} catch (error) {
				const message = error instanceof AuthFailure ? error.message : String(error);
				return sendJson(res, 401, { code: 'Unauthenticated', message });
			}
			const method = req.method ?? 'GET';
			const headers = new Headers();
			for (const [name, value] of Object.entries(req.headers)) {
				if (value === undefined) continue;
				for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
			}
			const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
			const response = await backend.fetch(
				req.url ?? '/',
				{ method, headers, body: body === undefined ? undefined : new Uint8Array(body) },
				identity
			);
			// An app without an OPTIONS route still gets a working CORS preflight.
			if (method === 'OPTIONS' && response.status === 404) return answerPreflight(req, res);
			onWrite();
			const outHeaders: Record<string, string | string[]> = {};
			response.headers.forEach((value, name) => {
				if (name === 'set-cookie') return;
				outHeaders[name] = value;
			});
			const cookies = response.headers.getSetCookie();
			if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
			for (const [name, value] of Object.entries(OPEN_HEADERS)) {
				if (!response.headers.has(name)) outHeaders[name] = value;
			}
			if (response.statusText) res.writeHead(response.status, response.statusText, outHeaders);
			else res.writeHead(response.status, outHeaders);
			if (response.body === null || method === 'HEAD') return res.end();
			// Streamed piece by piece so streaming HTTP actions stay streaming.
			const reader = response.body.getReader();
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				res.write(value);
			}
			res.end();
		} catch (error) {
			console.error('[convex-emulator] HTTP action failed', error);
			if (!res.headersSent) sendText(res, 500, String(error));
			else res.destroy();
		}
	};
}
