import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'convex',
					include: ['tests/convex/**/*.test.ts'],
					environment: 'edge-runtime',
					server: {
						deps: {
							inline: [
								'convex-test',
								'@convex-dev/agent',
								'@convex-dev/rate-limiter',
								'@convex-dev/batch-worker'
							]
						}
					}
				}
			},
			{
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts', 'tests/harness/**/*.test.ts'],
					environment: 'node'
				}
			}
		]
	}
});
