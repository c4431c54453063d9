import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const envShim = fileURLToPath(new URL('tests/unit/shims/sveltekit-env.ts', import.meta.url));

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
				// Server modules of src/ import SvelteKit's virtual modules and its aliases.
				resolve: {
					alias: {
						'$env/dynamic/private': envShim,
						'$env/dynamic/public': envShim,
						$convex: fileURLToPath(new URL('convex', import.meta.url)),
						$lib: fileURLToPath(new URL('src/lib', import.meta.url))
					}
				},
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts', 'tests/harness/**/*.test.ts'],
					environment: 'node'
				}
			}
		]
	}
});
