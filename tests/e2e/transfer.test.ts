import { execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { continueAsGuest, newProjectFromTemplate } from './helpers';

/** Paths of every row the file tree shows: each file and each folder. */
async function treePaths(page: Page) {
	await expect(page.getByRole('treeitem', { name: 'README.md' })).toBeVisible();
	const rows = page.getByRole('tree', { name: 'Project files' }).getByRole('treeitem');
	return (await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))).sort();
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
	const out: string[] = [];
	for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
		const path = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) out.push(...(await listFiles(dir, path)));
		else out.push(path);
	}
	return out;
}

test('a project exports as a zip of its files that builds on its own, and the zip imports as the same project', async ({
	page
}) => {
	// npm install and a production build of the exported app, on two cores.
	test.setTimeout(300_000);
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	const originalTree = await treePaths(page);

	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download zip' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/\.zip$/);
	const zipPath = await download.path();

	// Unzipped on disk: the project's files plus the run instructions, nothing else.
	const entries = unzipSync(new Uint8Array(await readFile(zipPath)));
	const dir = await mkdtemp(join(tmpdir(), 'export-'));
	for (const [name, bytes] of Object.entries(entries)) {
		await mkdir(dirname(join(dir, name)), { recursive: true });
		await writeFile(join(dir, name), bytes);
	}
	const onDisk = await listFiles(dir);
	expect(onDisk).toContain('APPBUILDER-README.md');
	expect(onDisk).toContain('package.json');
	// The tree lists every file and every folder on the way to one.
	const expected = new Set<string>();
	for (const path of onDisk.filter((p) => p !== 'APPBUILDER-README.md')) {
		const segments = path.split('/');
		for (let i = 1; i <= segments.length; i++) expected.add(segments.slice(0, i).join('/'));
	}
	expect([...expected].sort()).toEqual(originalTree);

	// The unzipped folder is a complete app: it installs and builds with nothing else.
	const run = (command: string) =>
		execSync(command, { cwd: dir, stdio: 'pipe', timeout: 240_000, env: withoutNodeEnv() });
	run('npm install --no-audit --no-fund');
	run('npm run build');
	expect(onDiskAfterBuild(dir)).toContain('index.html');

	await page.goto('/');
	await page.getByLabel('Zip archive to import').setInputFiles(zipPath);
	await expect(page).toHaveURL(/\/projects\/[^/]+$/);
	expect(await treePaths(page)).toEqual(originalTree);

	// Byte for byte the same files, so the same content hashes: exported again, they match.
	const again = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download zip' }).click();
	const reexported = unzipSync(new Uint8Array(await readFile(await (await again).path())));
	expect(Object.keys(reexported).sort()).toEqual(Object.keys(entries).sort());
	for (const [name, bytes] of Object.entries(entries)) {
		if (name === 'APPBUILDER-README.md') continue;
		expect(Buffer.from(reexported[name]).equals(Buffer.from(bytes)), name).toBe(true);
	}
});

/** The test runner's NODE_ENV would make npm skip the app's devDependencies (Vite). */
function withoutNodeEnv() {
	const env = { ...process.env };
	delete env.NODE_ENV;
	return env;
}

function onDiskAfterBuild(dir: string) {
	return readdirSync(join(dir, 'build'));
}

test('a zip that is not a project is refused with a plain message', async ({ page }) => {
	await continueAsGuest(page);
	await page.getByLabel('Zip archive to import').setInputFiles({
		name: 'broken.zip',
		mimeType: 'application/zip',
		buffer: Buffer.from('not a zip at all')
	});
	await expect(page.getByRole('alert')).toHaveText('This file is not a valid zip archive.');
	await expect(page).toHaveURL(/\/$/);
});
