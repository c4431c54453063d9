import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests for the Convex functions run against convex-test's in-memory backend, in the same
// edge-runtime environment Convex's default runtime uses. Tests in src/ cover pure helpers.
export default defineConfig({
	resolve: {
		// The aliases svelte.config.js gives the app, for the helpers under test.
		alias: {
			$convex: fileURLToPath(new URL('./convex', import.meta.url)),
			$lib: fileURLToPath(new URL('./src/lib', import.meta.url))
		}
	},
	test: {
		include: ['convex/**/*.test.ts', 'src/**/*.test.ts'],
		environment: 'edge-runtime',
		server: { deps: { inline: ['convex-test'] } }
	}
});
