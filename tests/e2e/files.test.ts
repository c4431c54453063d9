import { expect, test } from '@playwright/test';
import {
	typeAtTop,
	continueAsGuest,
	dirtyMarker,
	editor,
	newProjectFromTemplate,
	openFile,
	newContext,
	sameUserElsewhere,
	closeExtraContexts,
	save
} from './helpers';

test.afterEach(closeExtraContexts);

test('a guest edits a template project; the edit persists, shows live elsewhere, and strangers get not found', async ({
	page,
	browser
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await expect(page.getByRole('treeitem', { name: 'package.json' })).toBeVisible();
	await expect(page.getByRole('treeitem', { name: 'convex', exact: true })).toBeVisible();

	const elsewhere = await sameUserElsewhere(page);
	await openFile(elsewhere, 'README.md');

	await openFile(page, 'README.md');
	await typeAtTop(page, 'Edited in the browser test.\n');
	await expect(dirtyMarker(page)).toBeVisible();
	await save(page);
	await expect(dirtyMarker(page)).toHaveCount(0);

	// The other tab sees the saved edit without reloading.
	await expect(editor(elsewhere)).toContainText('Edited in the browser test.');

	await page.reload();
	await openFile(page, 'README.md');
	await expect(editor(page)).toContainText('Edited in the browser test.');

	const strangerContext = await newContext(browser);
	const stranger = await strangerContext.newPage();
	await continueAsGuest(stranger);
	await stranger.goto(page.url());
	await expect(stranger.getByRole('heading', { name: 'Project not found' })).toBeVisible();
	await expect(stranger.getByText('Edited in the browser test.')).toHaveCount(0);
});

test('two tabs edit one file: the later save gets the conflict prompt and both versions survive', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	const other = await sameUserElsewhere(page);
	await openFile(page, 'README.md');
	await openFile(other, 'README.md');

	await typeAtTop(other, 'Version from the second tab.\n');
	await typeAtTop(page, 'Version from the first tab.\n');
	await save(page);
	await expect(dirtyMarker(page)).toHaveCount(0);

	// The second tab's unsaved edits are not overwritten: it is asked what to do.
	const conflict = other.getByTestId('conflict');
	await expect(conflict).toBeVisible();
	await expect(editor(other)).toContainText('Version from the second tab.');
	await save(other);
	await expect(conflict).toBeVisible();

	await conflict.getByRole('button', { name: 'View diff' }).click();
	const diff = other.getByTestId('diff-view');
	await expect(diff).toContainText('Version from the first tab.');
	await expect(diff).toContainText('Version from the second tab.');
	await other.keyboard.press('Escape');

	await conflict.getByRole('button', { name: 'Keep mine' }).click();
	await expect(conflict).toHaveCount(0);
	await expect(editor(page)).toContainText('Version from the second tab.');

	// The first tab's version is still in history.
	await page.getByRole('tab', { name: 'History' }).click();
	const checkpoints = page.getByTestId('checkpoint');
	await expect(checkpoints).toHaveCount(3);
	await checkpoints.nth(1).click();
	await expect(page.getByTestId('diff-view')).toContainText('Version from the first tab.');
});

test('history lists each save, shows its diff, and restores an old version as a new checkpoint', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await openFile(page, 'README.md');
	await typeAtTop(page, 'First change.\n');
	await save(page);
	await expect(dirtyMarker(page)).toHaveCount(0);
	await typeAtTop(page, 'Second change.\n');
	await save(page);
	await expect(dirtyMarker(page)).toHaveCount(0);

	await page.getByRole('tab', { name: 'History' }).click();
	const checkpoints = page.getByTestId('checkpoint');
	await expect(checkpoints).toHaveCount(3);
	await expect(checkpoints.nth(0)).toContainText('Saved README.md');
	await expect(checkpoints.nth(2)).toContainText('Created from template');

	await checkpoints.nth(0).click();
	const diff = page.getByTestId('diff-view');
	await expect(diff).toContainText('Second change.');
	await expect(page.getByRole('list', { name: 'Changed files' })).toContainText('README.md');

	// Restore the first save: the second change goes away, and history grows.
	await checkpoints.nth(1).click();
	await page.getByRole('button', { name: 'Restore this checkpoint' }).click();
	await page.getByRole('button', { name: 'Restore', exact: true }).click();
	await expect(checkpoints).toHaveCount(4);
	await expect(checkpoints.nth(0)).toContainText('Restored checkpoint');

	await page.getByRole('tab', { name: 'Files' }).click();
	await openFile(page, 'README.md');
	await expect(editor(page)).toContainText('First change.');
	await expect(editor(page)).not.toContainText('Second change.');
});
