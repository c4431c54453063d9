// Sits in front of a project's dev server on a loopback port of its own. It adds the headers a
// cross-origin document needs to be framed inside the cross-origin-isolated workbench, and
// injects the error reporter into HTML pages so the preview's errors reach the builder.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { injectReporter } from '../../preview/errorReporter';

const FRAMEABLE_HEADERS = {
	'cross-origin-resource-policy': 'cross-origin',
	'cross-origin-embedder-policy': 'credentialless'
};

export interface PreviewProxy {
	url: string;
	close(): Promise<void>;
}

export async function startPreviewProxy(targetPort: number, port = 0): Promise<PreviewProxy> {
	const target = `http://127.0.0.1:${targetPort}`;
	const proxy = createProxyServer({ target, ws: true, selfHandleResponse: true });
	// The body of HTML responses is rewritten, so ask for it uncompressed.
	proxy.on('proxyReq', (proxyReq) => proxyReq.setHeader('accept-encoding', 'identity'));
	proxy.on('proxyRes', (proxyRes: IncomingMessage, _req, res) => {
		const headers = { ...proxyRes.headers, ...FRAMEABLE_HEADERS };
		const isHtml = String(proxyRes.headers['content-type'] ?? '').includes('text/html');
		if (!isHtml) {
			res.writeHead(proxyRes.statusCode ?? 502, headers);
			proxyRes.pipe(res);
			return;
		}
		const chunks: Buffer[] = [];
		proxyRes.on('data', (chunk: Buffer) => chunks.push(chunk));
		proxyRes.on('end', () => {
			const body = injectReporter(Buffer.concat(chunks).toString('utf8'));
			delete headers['content-length'];
			delete headers['transfer-encoding'];
			res.writeHead(proxyRes.statusCode ?? 200, {
				...headers,
				'content-length': Buffer.byteLength(body)
			});
			res.end(body);
		});
	});
	proxy.on('error', (error, _req, res) => {
		if (res && 'writeHead' in res && !res.headersSent) {
			res.writeHead(502, { 'content-type': 'text/plain', ...FRAMEABLE_HEADERS });
			res.end(`The dev server is not answering: ${error.message}`);
		} else if (res && 'destroy' in res) {
			res.destroy();
		}
	});

	const server: Server = createServer((req, res) => proxy.web(req, res));
	server.on('upgrade', (req, socket, head) => proxy.ws(req, socket, head));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
				proxy.close();
			})
	};
}
