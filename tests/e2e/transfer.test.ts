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

test('a project exports as a zip of its files, and the zip imports as the same project', async ({
	page
}) => {
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

	await page.goto('/');
	await page.getByLabel('Zip archive to import').setInputFiles(zipPath);
	await expect(page).toHaveURL(/\/projects\/[^/]+$/);
	expect(await treePaths(page)).toEqual(originalTree);
});

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
