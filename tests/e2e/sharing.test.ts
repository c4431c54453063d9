import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import {
	continueAsGuest,
	dirtyMarker,
	editor,
	newProjectFromTemplate,
	openFile,
	closeExtraContexts,
	newContext,
	save,
	TEMPLATE_NAME,
	typeAtTop
} from './helpers';

test.afterEach(closeExtraContexts);

/** The project's files as its zip export holds them (path → content), without the README. */
async function projectFiles(page: Page) {
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download zip' }).click();
	const entries = unzipSync(new Uint8Array(await readFile(await (await downloading).path())));
	delete entries['APPBUILDER-README.md'];
	return Object.fromEntries(
		Object.entries(entries)
			.map(([path, bytes]) => [path, Buffer.from(bytes).toString('utf8')] as const)
			.sort(([a], [b]) => a.localeCompare(b))
	);
}

async function treePaths(page: Page) {
	const items = page.getByRole('treeitem');
	await expect(items.first()).toBeVisible();
	return (await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-path')))).sort();
}

test('a shared link is read-only for guests and visitors, remixes, and dies when revoked', async ({
	page,
	browser
}) => {
	// A makes a project and shares it.
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	const sourcePaths = await treePaths(page);
	const filesBefore = await projectFiles(page);
	await page.getByRole('button', { name: 'Share', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Share project' });
	await dialog.getByRole('button', { name: 'Create link' }).click();
	const linkField = dialog.getByLabel('Share link');
	await expect(linkField).toHaveValue(/\/s\/[A-Za-z0-9_-]{32}$/);
	const link = await linkField.inputValue();
	await page.keyboard.press('Escape');

	// B, a guest in another browser, opens it read-only: files and contents, nothing to save.
	const bContext = await newContext(browser);
	const b = await bContext.newPage();
	await continueAsGuest(b);
	await b.goto(link);
	await expect(b.getByRole('heading', { name: TEMPLATE_NAME })).toBeVisible();
	await expect(b.getByText('Read-only')).toBeVisible();
	await b.getByRole('treeitem', { name: 'README.md' }).getByRole('button').click();
	await expect(b.getByTestId('shared-file')).not.toBeEmpty();
	await expect(b.getByTestId('code-editor')).toHaveCount(0);
	// (The header's "Save your work" is the guest's account upgrade, not a file save.)
	await expect(b.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);

	// A visitor who is not signed in, on a phone, sees the same one pane at a time (the app
	// first), and is offered to continue as a guest.
	const visitorContext = await newContext(browser, { viewport: { width: 390, height: 844 } });
	const visitor = await visitorContext.newPage();
	await visitor.goto(link);
	await expect(visitor.getByRole('heading', { name: TEMPLATE_NAME })).toBeVisible();
	const panes = visitor.getByRole('tablist', { name: 'Panes' });
	await expect(panes.getByRole('tab', { name: 'Preview', selected: true })).toBeVisible();
	await expect(visitor.getByRole('region', { name: 'Preview of the app' })).toBeVisible();
	await expect(visitor.getByRole('treeitem', { name: 'README.md' })).toBeHidden();
	await panes.getByRole('tab', { name: 'Files' }).click();
	await visitor.getByRole('treeitem', { name: 'README.md' }).getByRole('button').click();
	await expect(panes.getByRole('tab', { name: 'Code', selected: true })).toBeVisible();
	await expect(visitor.getByTestId('shared-file')).not.toBeEmpty();
	await expect(visitor.getByRole('button', { name: 'Continue as guest and remix' })).toBeVisible();
	await expect(visitor.getByTestId('code-editor')).toHaveCount(0);

	// B remixes: a project of B's own with the same files, which says where it came from.
	await b.getByRole('button', { name: 'Remix', exact: true }).click();
	await expect(b).toHaveURL(/\/projects\/[^/]+$/);
	await expect(b.getByRole('heading', { name: `${TEMPLATE_NAME} (remix)` })).toBeVisible();
	await expect(b.getByTestId('remixed-from')).toContainText(`Remixed from ${TEMPLATE_NAME}`);
	expect(await treePaths(b)).toEqual(sourcePaths);
	// Identical contents, so identical hashes, and A's project is unchanged.
	const sourceFiles = await projectFiles(page);
	expect(await projectFiles(b)).toEqual(sourceFiles);
	expect(sourceFiles).toEqual(filesBefore);

	// A revokes: the link is dead for everyone.
	await page.getByRole('button', { name: 'Share', exact: true }).click();
	await dialog.getByRole('button', { name: 'Revoke link' }).click();
	await expect(dialog.getByRole('button', { name: 'Create link' })).toBeVisible();
	await visitor.reload();
	await expect(visitor.getByRole('heading', { name: 'Link not found' })).toBeVisible();
	await b.goto(link);
	await expect(b.getByRole('heading', { name: 'Link not found' })).toBeVisible();
});

test('an older checkpoint is remixed from History into a new project of mine', async ({ page }) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	const sourceUrl = page.url();
	await openFile(page, 'README.md');
	await typeAtTop(page, 'Only in the source.\n');
	await save(page);
	await expect(dirtyMarker(page)).toHaveCount(0);

	await page.getByRole('tab', { name: 'History' }).click();
	const checkpoints = page.getByTestId('checkpoint');
	await expect(checkpoints).toHaveCount(2);
	await checkpoints.nth(1).click();
	await page.getByRole('button', { name: 'Remix from here' }).click();
	await expect(page).not.toHaveURL(sourceUrl);
	await expect(page.getByRole('heading', { name: `${TEMPLATE_NAME} (remix)` })).toBeVisible();
	await expect(page.getByTestId('remixed-from')).toContainText(`Remixed from ${TEMPLATE_NAME}`);
	await openFile(page, 'README.md');
	await expect(editor(page)).not.toContainText('Only in the source.');
});

test('a public project is listed in the community gallery, where anyone opens it with its history and preview', async ({
	page,
	browser
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await openFile(page, 'README.md');
	await typeAtTop(page, 'Shown to the community.\n');
	await save(page);
	await expect(dirtyMarker(page)).toHaveCount(0);

	await page.getByRole('button', { name: 'Share', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Share project' });
	await dialog.getByLabel('Public: list it in the gallery').check();
	const linkField = dialog.getByLabel('Share link');
	await expect(linkField).toHaveValue(/\/s\/[A-Za-z0-9_-]{32}$/);
	const token = (await linkField.inputValue()).split('/').pop()!;
	await page.keyboard.press('Escape');

	// A visitor who is not signed in finds it in the gallery and opens it read-only.
	const visitor = await (await newContext(browser)).newPage();
	await visitor.goto('/');
	await visitor.getByRole('link', { name: 'Community' }).click();
	await expect(visitor.getByRole('heading', { name: 'Community' })).toBeVisible();
	const card = visitor
		.getByRole('listitem')
		.filter({ has: visitor.locator(`a[href="/s/${token}"]`) });
	await expect(card).toContainText(TEMPLATE_NAME);
	await visitor.screenshot({ path: 'test-results/screens/gallery.png' });
	await card.getByRole('link', { name: `Open ${TEMPLATE_NAME}` }).click();
	await expect(visitor.getByText('Read-only')).toBeVisible();
	// The app runs beside the code, from the shared files, with its own backend.
	await expect(
		visitor.frameLocator('iframe[title="Preview"]').getByRole('heading', { name: 'Ideas' })
	).toBeVisible({ timeout: 120_000 });
	await expect(visitor.getByRole('button', { name: 'Auto-fix errors' })).toHaveCount(0);
	await visitor.screenshot({ path: 'test-results/screens/shared-view.png' });
	// A viewer's runtime runs the files and nothing else: no commands.
	const viewer = await visitor.evaluate(() => sessionStorage.getItem('appbuilder.shareViewer'));
	const exec = await visitor.request.post(`/api/runtime/share-${token}-${viewer}`, {
		data: { op: 'exec', command: 'npm run build' }
	});
	expect(exec.status()).toBe(403);
	await visitor.getByRole('tab', { name: 'History' }).click();
	// The template's first checkpoint and the save.
	await expect(visitor.getByTestId('shared-checkpoint')).toHaveCount(2);
	await visitor.getByRole('tab', { name: 'Files' }).click();
	await visitor.getByRole('treeitem', { name: 'README.md' }).getByRole('button').click();
	await expect(visitor.getByTestId('shared-file')).toContainText('Shown to the community.');

	// Private again: it leaves the gallery.
	await page.getByRole('button', { name: 'Share', exact: true }).click();
	await dialog.getByLabel('Public: list it in the gallery').uncheck();
	await page.keyboard.press('Escape');
	await visitor.goto('/gallery');
	await expect(visitor.getByRole('heading', { name: 'Community' })).toBeVisible();
	await expect(visitor.locator(`a[href="/s/${token}"]`)).toHaveCount(0);
});
