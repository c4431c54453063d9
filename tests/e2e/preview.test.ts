import { execSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { E2E_RUNTIME_DIR } from './environment';
import {
	continueAsGuest,
	editor,
	focusEditor,
	newProjectFromTemplate,
	openFile,
	preview,
	previewFrame,
	projectIdOf,
	save,
	typeAtTop,
	waitForApp
} from './helpers';

// Each test starts a dev server and its backend; on two busy cores that can take a while.
test.setTimeout(240_000);

test('the template runs in the preview, its backend works, and saved edits arrive by HMR', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await waitForApp(page);
	await expect(page.getByTestId('terminal')).toContainText('VITE');
	await expect(page.getByTestId('terminal')).toContainText('its data lives in memory');

	// The generated backend works: an idea added in the preview's own UI shows up in its list.
	await preview(page).getByLabel('New idea').fill('Ship the preview');
	await preview(page).getByRole('button', { name: 'Add' }).click();
	await expect(
		preview(page).getByRole('region', { name: 'Ideas' }).getByText('Ship the preview')
	).toBeVisible();
	await page.screenshot({ path: 'test-results/screens/preview.png' });

	// A saved edit shows without a full reload: a marker set in the page survives it.
	await previewFrame(page).evaluate(() => ((window as unknown as { marker: number }).marker = 42));
	await openFile(page, 'src/routes/+page.svelte');
	await typeAtTop(page, '<p>Edited in the builder</p>\n');
	await save(page);
	await expect(preview(page).getByText('Edited in the builder')).toBeVisible();
	expect(
		await previewFrame(page).evaluate(() => (window as unknown as { marker?: number }).marker)
	).toBe(42);
	await expect(
		preview(page).getByRole('region', { name: 'Ideas' }).getByText('Ship the preview')
	).toBeVisible();

	// A full reload of the preview (Vite does one after re-optimizing dependencies) leaves the
	// keyboard where the person was typing.
	await focusEditor(page);
	await previewFrame(page).evaluate(() => location.reload());
	await waitForApp(page);
	await page.keyboard.press('ControlOrMeta+Home');
	await page.keyboard.insertText('Still typing here\n');
	await expect(editor(page)).toContainText('Still typing here');

	// Fault: the dev server dies. The preview says so, restarts on request, and loses no file.
	execSync(`pkill -KILL -f '[v]ite dev --host 127.0.0.1'`);
	await expect(page.getByText('The preview is stopped')).toBeVisible();
	await expect(page.getByTestId('preview-state')).toContainText('The dev server exited');
	await page.getByRole('button', { name: 'Restart preview' }).click();
	await expect(preview(page).getByText('Edited in the builder')).toBeVisible({ timeout: 60_000 });
	await waitForApp(page);

	// Reopened after a stop (as after the idle shutdown), the project runs from the files and
	// dependencies its work dir kept: none are sent again.
	const workFile = join(E2E_RUNTIME_DIR, 'projects', projectIdOf(page), 'src/routes/+page.svelte');
	const ops = runtimeCalls(page);
	await page.getByRole('button', { name: 'Stop the dev server' }).click();
	await expect(page.getByText('The preview is stopped')).toBeVisible();
	ops.length = 0;
	await page.reload();
	await expect(preview(page).getByText('Edited in the builder')).toBeVisible({ timeout: 60_000 });
	expect(ops).toEqual(['resume']);

	// Only when they are the project's: a work dir changed behind the builder's back gets the
	// saved files again before anything runs.
	await page.getByRole('button', { name: 'Stop the dev server' }).click();
	await expect(page.getByText('The preview is stopped')).toBeVisible();
	const saved = await readFile(workFile, 'utf8');
	await writeFile(workFile, '<p>Changed behind the builder</p>\n');
	ops.length = 0;
	await page.reload();
	await expect(preview(page).getByText('Edited in the builder')).toBeVisible({ timeout: 60_000 });
	await expect(preview(page).getByText('Changed behind the builder')).toHaveCount(0);
	expect(ops).toEqual(['resume', 'mount', 'install', 'start']);
	expect(await readFile(workFile, 'utf8')).toBe(saved);
});

/** The operations the page asks of the local runtime, in order (kept up to date). */
function runtimeCalls(page: Page): string[] {
	const ops: string[] = [];
	page.on('request', (request) => {
		if (request.method() !== 'POST' || !/\/api\/runtime\/[^/]+$/.test(request.url())) return;
		ops.push((request.postDataJSON() as { op: string }).op);
	});
	return ops;
}

test('WebContainer without network explains itself within its boot timeout', async ({ page }) => {
	// Nothing leaves loopback: every other host is refused, as on a machine without network.
	await page
		.context()
		.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) =>
			route.abort('internetdisconnected')
		);
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await page.getByLabel('Runtime').selectOption({ label: 'WebContainer' });
	await expect(page.getByText('The preview cannot run here')).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('preview-state')).toContainText('network');

	// Back to the local runtime: the app shows again.
	await page.getByLabel('Runtime').selectOption({ label: 'Local runtime' });
	await waitForApp(page);
});

test('the preview has an address bar, reloads, opens in a new tab, and shows a phone-sized view', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await waitForApp(page);
	const address = page.getByLabel('Preview address');
	await expect(address).toHaveValue('/');

	// A path typed in the address bar opens in the preview (the template has no such page).
	await address.fill('/no-such-page');
	await address.press('Enter');
	await expect(preview(page).getByText('404')).toBeVisible();
	await expect(address).toHaveValue('/no-such-page');

	// Reload loads the page again: a marker set in it is gone, the path stays.
	await previewFrame(page).evaluate(() => ((window as unknown as { marker: number }).marker = 7));
	await page.getByRole('button', { name: 'Reload preview' }).click();
	await expect(preview(page).getByText('404')).toBeVisible();
	await expect
		.poll(() =>
			previewFrame(page)
				.evaluate(() => (window as unknown as { marker?: number }).marker ?? null)
				.catch(() => 'navigating')
		)
		.toBeNull();
	await expect(address).toHaveValue('/no-such-page');

	// Back at the root, the app opens in a tab of its own, with its live data.
	await address.fill('/');
	await address.press('Enter');
	await waitForApp(page);
	const [tab] = await Promise.all([
		page.waitForEvent('popup'),
		page.getByRole('link', { name: 'Open preview in a new tab' }).click()
	]);
	expect(new URL(tab.url()).origin).toBe(new URL(previewFrame(page).url()).origin);
	await expect(tab.getByRole('heading', { name: 'Ideas' })).toBeVisible();
	await expect(tab.getByText('No ideas yet')).toBeVisible();
	await tab.close();

	// A phone's width, to check the small-screen layout, without reloading the app.
	const width = () => previewFrame(page).evaluate(() => window.innerWidth);
	const wide = await width();
	await previewFrame(page).evaluate(() => ((window as unknown as { marker: number }).marker = 9));
	const phone = page.getByRole('button', { name: 'Phone-sized preview' });
	await phone.click();
	await expect(phone).toHaveAttribute('aria-pressed', 'true');
	await expect.poll(width).toBe(390);
	await page.screenshot({ path: 'test-results/screens/preview-phone.png' });
	await phone.click();
	await expect.poll(width).toBe(wide);
	expect(
		await previewFrame(page).evaluate(() => (window as unknown as { marker?: number }).marker)
	).toBe(9);
});
