import { setupConvex } from 'convex-svelte';

/**
 * Connects this component tree to Convex, or says why it could not. Must run during component
 * initialisation (it sets a Svelte context). Returns an error message, or null when connected.
 */
export function connectConvex(url: string | undefined): string | null {
	// The builder's preview sets VITE_CONVEX_URL; locally `npx convex dev` writes it to .env.local.
	if (!url) return 'VITE_CONVEX_URL is not set.';
	try {
		setupConvex(url);
		return null;
	} catch {
		// ConvexClient throws on a malformed URL; explaining it beats a blank page.
		return `VITE_CONVEX_URL is not a valid Convex URL: ${url}`;
	}
}
