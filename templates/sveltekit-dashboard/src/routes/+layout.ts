// The app ships as a static SPA (adapter-static with an index.html fallback) and talks to Convex
// from the browser, so there is nothing to render on a server.
export const ssr = false;
