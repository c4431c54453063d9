// Cross-origin isolation (needed by WebContainer and SharedArrayBuffer) applies only to the
// workbench, so the rest of the site can embed and be embedded normally. Worker scripts
// need the headers too: Chromium refuses Monaco's workers inside an isolated page without
// them. Plain JS so that both vite.config.ts and the production server.js can import it.

export const ISOLATION_HEADERS = /** @type {const} */ ({
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'credentialless',
	'Cross-Origin-Resource-Policy': 'same-origin'
});

/**
 * Paths whose responses get the isolation headers: workbench pages and every script.
 * @param {string} pathname
 */
export function needsIsolation(pathname) {
	return (
		pathname.startsWith('/projects/') ||
		/\.(m?js|ts|wasm)$/.test(pathname) ||
		pathname.includes('worker') ||
		pathname.startsWith('/@') ||
		pathname.startsWith('/node_modules/') ||
		pathname.startsWith('/_app/')
	);
}
