#!/usr/bin/env node
// Finds a Chromium for Playwright: Playwright's own download if present, else the system
// package. Run directly, it installs Debian's `chromium` when none is found and it runs as
// root with apt-get; otherwise it says what to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Flags that let Chromium run headless as root on a machine with no network beyond
 * loopback (without the networking ones it keeps trying to reach Google's hosts).
 */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-quic',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

const SYSTEM_CANDIDATES = [
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome'
];

export function findChromium() {
	if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) {
		return process.env.CHROMIUM_PATH;
	}
	try {
		const bundled = execFileSync(
			process.execPath,
			['-e', "process.stdout.write(require('playwright-core').chromium.executablePath())"],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }
		);
		if (bundled && existsSync(bundled)) return bundled;
	} catch {
		// No Playwright browser downloaded; fall through to the system one.
	}
	return SYSTEM_CANDIDATES.find((path) => existsSync(path)) ?? null;
}

function install() {
	const isRoot = process.getuid?.() === 0;
	const hasApt = existsSync('/usr/bin/apt-get');
	if (!isRoot || !hasApt) {
		console.error(
			'No Chromium found. Install one, then run the tests again:\n' +
				'  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
				'  elsewhere:     npx playwright install chromium\n' +
				'or point CHROMIUM_PATH at a Chromium or Chrome binary.'
		);
		process.exit(1);
	}
	console.log('No Chromium found; installing Debian package chromium…');
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
	execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	if (!findChromium()) install();
	const found = findChromium();
	if (!found) {
		console.error('Installing chromium did not produce a browser binary.');
		process.exit(1);
	}
	console.log(`Chromium: ${found}`);
}
