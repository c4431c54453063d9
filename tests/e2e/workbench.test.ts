import { expect, test, type Page } from '@playwright/test';
import {
	continueAsGuest,
	dirtyMarker,
	editor,
	newProjectFromTemplate,
	preview,
	save,
	TEMPLATE_NAME,
	typeAtTop,
	waitForApp
} from './helpers';

async function answerPrompt(page: Page, value: string, submit: string) {
	const dialog = page.getByRole('dialog');
	await dialog.getByRole('textbox').fill(value);
	await dialog.getByRole('button', { name: submit }).click();
	await expect(dialog).toHaveCount(0);
}

test('files and folders are created, renamed and deleted from the tree; bad paths are refused', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);

	// A bad path is refused before anything is sent.
	await page.getByRole('button', { name: 'New file' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByRole('textbox').fill('../outside.txt');
	await expect(dialog.getByRole('alert')).toContainText('".."');
	await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
	await dialog.getByRole('textbox').fill('node_modules/x.js');
	await expect(dialog.getByRole('alert')).toContainText('reserved');
	await dialog.getByRole('button', { name: 'Cancel' }).click();

	await page.getByRole('button', { name: 'New file' }).click();
	await answerPrompt(page, 'notes/todo.md', 'Create');
	await expect(page.getByRole('treeitem', { name: 'notes', exact: true })).toBeVisible();
	await expect(page.getByRole('tab', { name: 'todo.md', selected: true })).toBeVisible();
	await typeAtTop(page, 'Buy milk');
	await save(page);
	await expect(dirtyMarker(page)).toHaveCount(0);

	await page.getByRole('button', { name: 'New folder' }).click();
	await answerPrompt(page, 'empty-folder', 'Create');
	await expect(page.getByRole('treeitem', { name: 'empty-folder' })).toBeVisible();

	// Renaming a folder moves its files, and the open tab follows.
	await page.getByRole('treeitem', { name: 'notes', exact: true }).hover();
	await page.getByRole('button', { name: 'Rename notes', exact: true }).click();
	await answerPrompt(page, 'docs', 'Rename');
	await expect(page.getByRole('treeitem', { name: 'docs/todo.md' })).toBeVisible();
	await expect(page.getByRole('treeitem', { name: 'notes/todo.md' })).toHaveCount(0);
	await expect(editor(page)).toContainText('Buy milk');

	await page.getByRole('treeitem', { name: 'docs/todo.md' }).hover();
	await page.getByRole('button', { name: 'Delete docs/todo.md' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
	await expect(page.getByRole('treeitem', { name: 'docs/todo.md' })).toHaveCount(0);
	await expect(page.getByRole('tab', { name: 'todo.md' })).toHaveCount(0);

	await page.getByRole('tab', { name: 'History' }).click();
	const checkpoints = page.getByTestId('checkpoint');
	await expect(checkpoints.nth(0)).toContainText('Deleted docs/todo.md');
	await expect(checkpoints.nth(1)).toContainText('Renamed notes/todo.md to docs/todo.md');
});

test('Monaco loads with the first opened file; its language workers run inside the isolated workbench, and only the workbench is isolated', async ({
	page
}) => {
	await continueAsGuest(page);
	// Only workbench pages are cross-origin isolated; the rest of the site embeds normally.
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
	await newProjectFromTemplate(page);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	// Until a file is opened there is no editor, only the hint: Monaco has not loaded.
	await expect(page.getByText('Open a file from the tree to edit it')).toBeVisible();
	await expect(page.locator('.monaco-editor')).toHaveCount(0);

	await page.getByRole('button', { name: 'New file' }).click();
	await answerPrompt(page, 'broken.json', 'Create');
	await typeAtTop(page, '{ "name": }');
	// Only the JSON worker reports this syntax error as a squiggle.
	await expect(page.locator('.squiggly-error').first()).toBeVisible();
});

test('dark mode toggles, is remembered, and the workbench log follows it', async ({ page }) => {
	await continueAsGuest(page);
	const html = page.locator('html');
	await page.getByRole('button', { name: 'Switch to dark mode' }).click();
	await expect(html).toHaveClass(/dark/);
	await page.reload();
	await expect(html).toHaveClass(/dark/);
	await page.getByRole('button', { name: 'Switch to light mode' }).click();
	await expect(html).not.toHaveClass(/dark/);

	// In the workbench the log panel's terminal follows a switch too.
	await newProjectFromTemplate(page);
	const terminal = page.getByTestId('terminal').locator('.xterm-scrollable-element');
	await expect(terminal).toHaveCSS('background-color', 'rgb(250, 250, 250)');
	await page.getByRole('button', { name: 'Switch to dark mode' }).click();
	await expect(terminal).toHaveCSS('background-color', 'rgb(10, 10, 10)');
});

test('Ctrl/Cmd+P goes to a file by any part of its path, and the editor takes the keyboard', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);

	await page.keyboard.press('ControlOrMeta+P');
	const picker = page.getByRole('dialog', { name: 'Go to file' });
	await picker.getByPlaceholder('Go to file…').fill('IdeaIt');
	// Fuzzy, best match first (IdeaList.svelte matches too, further down).
	await expect(picker.getByRole('option').first()).toHaveText(
		'IdeaItem.svelte src/lib/components/'
	);
	await expect(picker.getByRole('option')).toHaveCount(2);
	await page.screenshot({ path: 'test-results/screens/go-to-file.png' });
	await page.keyboard.press('Enter');
	await expect(picker).toBeHidden();
	await expect(page.getByRole('tab', { name: 'IdeaItem.svelte', selected: true })).toBeVisible();
	await expect(editor(page)).toContainText('idea');
	// Straight into the file, without a click.
	await page.keyboard.press('ControlOrMeta+Home');
	await page.keyboard.insertText('<!-- picked -->\n');
	await expect(editor(page)).toContainText('<!-- picked -->');
	await expect(dirtyMarker(page)).toBeVisible();

	// The tree's button opens it too; a search that finds nothing says so, Escape closes it.
	await page.getByRole('button', { name: 'Go to file' }).click();
	await picker.getByPlaceholder('Go to file…').fill('no-such-file-anywhere');
	await expect(picker).toContainText('No file matches.');
	await page.keyboard.press('Escape');
	await expect(picker).toBeHidden();
});

test('on a phone the workbench shows one pane at a time, and opening a file shows the code', async ({
	page
}) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await continueAsGuest(page);
	// Every header action fits on the screen.
	for (const link of ['Community', 'Settings']) {
		await expect(page.getByRole('link', { name: link })).toBeInViewport({ ratio: 1 });
	}
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport({ ratio: 1 });
	await page.getByRole('button', { name: `Use template ${TEMPLATE_NAME}` }).click();
	await expect(page).toHaveURL(/\/projects\/[^/]+$/);
	await expect(page.getByRole('button', { name: 'Deploy' })).toBeInViewport({ ratio: 1 });

	const panes = page.getByRole('tablist', { name: 'Panes' });
	await expect(panes.getByRole('tab', { name: 'Chat', selected: true })).toBeVisible();
	await expect(page.getByTestId('chat').getByLabel('Message the agent')).toBeVisible();
	await expect(page.getByTestId('preview-pane')).toBeHidden();

	await panes.getByRole('tab', { name: 'Files' }).click();
	await page
		.getByRole('treeitem', { name: 'src/routes/+page.svelte' })
		.getByRole('button')
		.first()
		.click();
	await expect(panes.getByRole('tab', { name: 'Code', selected: true })).toBeVisible();
	await expect(editor(page)).toContainText('<svelte:head>');

	// The preview keeps running while another pane shows.
	await panes.getByRole('tab', { name: 'Preview' }).click();
	await waitForApp(page);
	await page.screenshot({ path: 'test-results/screens/phone-preview.png' });
	await panes.getByRole('tab', { name: 'Chat' }).click();
	await expect(page.getByTestId('preview-pane')).toBeHidden();
	await panes.getByRole('tab', { name: 'Preview' }).click();
	await expect(preview(page).getByRole('heading', { name: 'Ideas' })).toBeVisible({
		timeout: 1_000
	});
});
