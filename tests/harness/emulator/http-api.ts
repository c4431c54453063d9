// The deployment URL's plain HTTP endpoints: what ConvexHttpClient calls
// (POST /api/query|mutation|action|function) and the storage upload/download URLs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONValue } from 'convex/values';
import { AuthFailure, type TokenVerifier } from './auth';
import type { Backend } from './backend';
import type { FunctionKind } from './modules';
import type { FunctionResult } from './protocol';
import { answerPreflight, OPEN_HEADERS, readBody, sendJson, sendText } from './http-util';
import { readStoredFile, storeUpload } from './storage';

// ConvexHttpClient treats this status as "the function failed", with a JSON body.
const STATUS_CODE_UDF_FAILED = 560;

export function createApiHandler(
	backend: Backend,
	verifier: TokenVerifier,
	app: { resolvePublic(path: string): Promise<{ kind: FunctionKind } | { error: string }> },
	onWrite: () => void,
	adminKey?: string
) {
	return async (req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://emulator');
		const path = url.pathname;
		try {
			if (req.method === 'OPTIONS') return answerPreflight(req, res);
			if (req.method === 'GET' && (path === '/' || path === '/version')) {
				return sendText(res, 200, 'convex-emulator (in-memory convex-test backend)');
			}
			if (req.method === 'GET' && path === '/instance_name') {
				return sendText(res, 200, 'convex-emulator');
			}
			const call = /^\/api\/(query|mutation|action|function)$/.exec(path);
			if (req.method === 'POST' && call !== null) {
				return await callFunction(call[1] as FunctionKind | 'function', req, res);
			}
			if (req.method === 'POST' && path === '/api/storage/upload') {
				const bytes = await readBody(req);
				const storageId = await storeUpload(
					backend,
					bytes,
					req.headers['content-type'],
					url.searchParams.get('component')
				);
				onWrite();
				return sendJson(res, 200, { storageId });
			}
			if ((req.method === 'GET' || req.method === 'HEAD') && path.startsWith('/api/storage/')) {
				const sha256 = decodeURIComponent(path.slice('/api/storage/'.length));
				const file = await readStoredFile(backend, sha256);
				if (file === null) return sendText(res, 404, 'File not found');
				res.writeHead(200, {
					...OPEN_HEADERS,
					'Content-Type': file.type || 'application/octet-stream',
					'Content-Length': String(file.bytes.byteLength)
				});
				return res.end(req.method === 'HEAD' ? undefined : Buffer.from(file.bytes));
			}
			return sendText(res, 404, `The Convex emulator does not serve ${req.method} ${path}`);
		} catch (error) {
			console.error('[convex-emulator] HTTP API request failed', error);
			if (!res.headersSent) sendText(res, 500, String(error));
			else res.destroy();
		}
	};

	async function callFunction(
		endpoint: FunctionKind | 'function',
		req: IncomingMessage,
		res: ServerResponse
	) {
		const header = req.headers.authorization ?? '';
		// `Convex <admin key>[:<acting-as identity>]`, as ConvexHttpClient.setAdminAuth sends it.
		const admin = /^Convex\s+(.+)$/i.exec(header);
		if (admin !== null && (adminKey === undefined || admin[1].split(':')[0] !== adminKey)) {
			return sendJson(res, 401, {
				code: 'BadAdminKey',
				message: 'The provided admin key was invalid for this deployment.'
			});
		}
		let identity = null;
		if (admin === null) {
			try {
				identity = (await verifier.fromAuthorizationHeader(header))?.identity ?? null;
			} catch (error) {
				const message = error instanceof AuthFailure ? error.message : String(error);
				return sendJson(res, 401, { code: 'Unauthenticated', message });
			}
		}
		let body: { path?: unknown; args?: unknown; componentPath?: unknown };
		try {
			body = JSON.parse((await readBody(req)).toString('utf8'));
		} catch {
			return sendJson(res, 400, { code: 'BadJsonBody', message: 'Body is not JSON' });
		}
		if (typeof body.path !== 'string') {
			return sendJson(res, 400, { code: 'BadRequest', message: '`path` must be a string' });
		}
		const componentPath =
			typeof body.componentPath === 'string' && body.componentPath !== ''
				? body.componentPath
				: null;
		if (componentPath !== null && admin === null) {
			return sendJson(res, 401, {
				code: 'Unauthenticated',
				message: 'Calling a component function needs the deployment admin key'
			});
		}
		// /api/query etc. take `[args]`; /api/function takes the args object itself.
		const args = (Array.isArray(body.args) ? (body.args[0] ?? {}) : (body.args ?? {})) as JSONValue;
		if (admin !== null) {
			const { result } = await backend.callAsAdmin(body.path, componentPath, args);
			onWrite();
			return sendResult(res, result);
		}
		let kind: FunctionKind;
		if (endpoint === 'function') {
			const resolved = await app.resolvePublic(body.path);
			if ('error' in resolved) {
				return sendJson(res, STATUS_CODE_UDF_FAILED, {
					status: 'error',
					errorMessage: resolved.error,
					logLines: []
				});
			}
			kind = resolved.kind;
		} else {
			kind = endpoint;
		}
		const { result } = await backend.call(kind, body.path, args, identity);
		if (kind !== 'query') onWrite();
		return sendResult(res, result);
	}
}

function sendResult(res: ServerResponse, result: FunctionResult) {
	if (result.success) {
		return sendJson(res, 200, { status: 'success', value: result.value, logLines: [] });
	}
	return sendJson(res, STATUS_CODE_UDF_FAILED, {
		status: 'error',
		errorMessage: result.errorMessage,
		...(result.errorData === undefined ? {} : { errorData: result.errorData }),
		logLines: []
	});
}
