// `npm run templates:thumbnails [id…]`: the gallery's template thumbnails, taken from each
// running app. The template's files, exactly as a new project gets them (the bundle), run in
// the builder's own local runtime (its app backend included), and Chromium screenshots the
// page once its live data is in. Run it after changing a template; it writes
// static/templates/<id>.png. THUMBNAILS_VERBOSE=1 prints the runtime's log as it goes.
import { chromium } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templates } from '../convex/templates/bundle';
import { LocalProjectRuntime } from '../src/lib/server/runtime/projectRuntime';
// @ts-expect-error: a plain .mjs script, shared with the tests
import { CHROMIUM_ARGS, findChromium } from './find-chromium.mjs';

/** Shown at half size in the gallery: 640 × 400 pixels. */
const VIEWPORT = { width: 1280, height: 800 };
const SETTLE_MS = 1_500;

const only = process.argv.slice(2);
const unknown = only.filter((id) => !templates.some((t) => t.id === id));
if (unknown.length > 0) {
	console.error(`thumbnails: no template ${unknown.join(', ')}`);
	process.exit(1);
}

const root = await mkdtemp(join(tmpdir(), 'appbuilder-thumbnails-'));
const config = {
	enabled: true,
	root,
	maxRuntimes: 1,
	idleMs: 60_000,
	installTimeoutMs: 10 * 60_000,
	startTimeoutMs: 120_000
};
const browser = await chromium.launch({
	executablePath: findChromium() ?? undefined,
	args: CHROMIUM_ARGS
});
try {
	for (const template of templates) {
		if (only.length > 0 && !only.includes(template.id)) continue;
		const runtime = new LocalProjectRuntime(template.id, join(root, template.id), config);
		let log = '';
		runtime.on((event) => {
			if (event.type !== 'log') return;
			log += event.text;
			if (process.env.THUMBNAILS_VERBOSE) process.stderr.write(event.text);
		});
		try {
			await runtime.mount(template.files);
			const url = await runtime.start();
			const page = await browser.newPage({
				viewport: VIEWPORT,
				deviceScaleFactor: 0.5,
				colorScheme: 'light'
			});
			await page.goto(url, { waitUntil: 'networkidle' });
			// The app's queries answer over its WebSocket, which networkidle does not wait for.
			await page.waitForTimeout(SETTLE_MS);
			const path = join('static', 'templates', `${template.id}.png`);
			await page.screenshot({ path });
			await page.close();
			console.log(`${template.id}: ${path}`);
		} catch (error) {
			console.error(`${template.id}: failed\n${log.slice(-4_000)}`);
			throw error;
		} finally {
			await runtime.dispose();
		}
	}
} finally {
	await browser.close();
	await rm(root, { recursive: true, force: true });
}
