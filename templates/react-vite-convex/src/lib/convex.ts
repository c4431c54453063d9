import { ConvexReactClient } from 'convex/react';

/** Either a connected client or the reason there is none, never both. */
export type Connection =
	{ client: ConvexReactClient; problem: null } | { client: null; problem: string };

/** A client for the deployment at `url`, or a message saying why there is none. */
export function connectConvex(url: string | undefined): Connection {
	// The builder's preview sets VITE_CONVEX_URL; locally `npx convex dev` writes it to .env.local.
	if (!url) return { client: null, problem: 'VITE_CONVEX_URL is not set.' };
	try {
		return { client: new ConvexReactClient(url), problem: null };
	} catch {
		// The client throws on a malformed URL; explaining it beats a blank page.
		return { client: null, problem: `VITE_CONVEX_URL is not a valid Convex URL: ${url}` };
	}
}
