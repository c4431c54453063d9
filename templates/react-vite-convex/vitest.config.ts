import { defineConfig } from 'vitest/config';

// Tests for the Convex functions run against convex-test's in-memory backend, in the same
// edge-runtime environment Convex's default runtime uses.
export default defineConfig({
	test: {
		include: ['convex/**/*.test.ts'],
		environment: 'edge-runtime',
		server: { deps: { inline: ['convex-test'] } }
	}
});
