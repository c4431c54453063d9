// Production server: adapter-node's handler with the cross-origin isolation headers added
// in front, because adapter-node's static file handler does not set them on worker scripts
// (and Monaco's workers then fail inside the isolated workbench).
// Build first (`npm run build`), then `npm start`. HOST and PORT work as in adapter-node.
import { createServer } from 'node:http';
import { ISOLATION_HEADERS, needsIsolation } from './src/lib/server/isolation.js';

// A preview mounts a whole project in one request; adapter-node's default cap is 512 KB.
// Set before the handler loads, since it reads the variable once.
process.env.BODY_SIZE_LIMIT ??= '40M';
const { handler } = await import('./build/handler.js');

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);

createServer((req, res) => {
	const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
	if (needsIsolation(pathname)) {
		for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
	}
	handler(req, res);
}).listen(port, host, () => console.log(`Appbuilder on http://${host}:${port}`));
