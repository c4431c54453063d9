// `$env/dynamic/*` for server modules under vitest: on the Node server (adapter-node) SvelteKit
// reads both from the process's environment at request time, as this does.
export const env = process.env as Record<string, string | undefined>;
