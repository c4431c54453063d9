import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// A static SPA: every unknown path falls back to index.html and the client router takes over.
		adapter: adapter({ fallback: 'index.html' }),
		// Lets src/ import the generated API as `$convex/_generated/api`.
		alias: { $convex: './convex' }
	}
};

export default config;
