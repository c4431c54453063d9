import type { Plugin } from 'vite';
import { ISOLATION_HEADERS, needsIsolation } from './isolation.js';

/**
 * Sets the isolation headers in Vite's own middleware (dev and preview). Vite's
 * `server.headers` misses worker scripts, so this runs first (`enforce: 'pre'`).
 */
export function crossOriginIsolation(): Plugin {
	const middleware = (
		req: { url?: string },
		res: { setHeader(name: string, value: string): void },
		next: () => void
	) => {
		const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
		if (needsIsolation(pathname)) {
			for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
		}
		next();
	};
	return {
		name: 'cross-origin-isolation',
		enforce: 'pre',
		configureServer(server) {
			server.middlewares.use(middleware);
		},
		configurePreviewServer(server) {
			server.middlewares.use(middleware);
		}
	};
}
