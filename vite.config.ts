import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { crossOriginIsolation } from './src/lib/server/vite-isolation.ts';

export default defineConfig({
	plugins: [crossOriginIsolation(), tailwindcss(), sveltekit()],
	server: { host: '127.0.0.1' },
	preview: { host: '127.0.0.1' }
});
