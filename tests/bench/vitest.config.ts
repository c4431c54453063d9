// The bench's own vitest config: run by scripts/bench.mjs (`npm run bench`), never by `npm test`
// (the root config's projects do not include tests/bench).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	test: {
		include: ['tests/bench/**/*.bench.test.ts'],
		environment: 'edge-runtime',
		server: { deps: { inline: ['convex-test'] } },
		// Figures are measured one after another so that timings, if added, do not compete.
		fileParallelism: false,
		testTimeout: 120_000
	}
});
