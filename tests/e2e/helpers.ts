import {
	expect,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions,
	type Page
} from '@playwright/test';

export const TEMPLATE_NAME = 'SvelteKit + Convex';

export async function continueAsGuest(page: Page) {
	await page.goto('/');
	await page.getByRole('button', { name: 'Continue as guest' }).click();
	await expect(page.getByRole('heading', { name: 'My projects' })).toBeVisible();
}

export async function newProjectFromTemplate(page: Page) {
	await page.getByRole('button', { name: `Use template ${TEMPLATE_NAME}` }).click();
	await expect(page).toHaveURL(/\/projects\/[^/]+$/);
	await expect(page.getByRole('treeitem', { name: 'README.md' })).toBeVisible();
}

/**
 * Contexts a test opened beside its own. Closed after each test (closeExtraContexts), even a
 * failed one: a workbench left open keeps its preview runtime watched and running, and later
 * tests would find the server's runtime limit reached.
 */
const extraContexts: BrowserContext[] = [];

export async function newContext(browser: Browser, options?: BrowserContextOptions) {
	const context = await browser.newContext(options);
	extraContexts.push(context);
	return context;
}

export async function closeExtraContexts() {
	await Promise.all(extraContexts.splice(0).map((c) => c.close()));
}

/**
 * A second tab of the same browser: the same person, sharing the stored tokens the way real
 * tabs do. (A second context with copied tokens would be a second device holding the same
 * refresh token, which rotation rightly invalidates.)
 */
export async function sameUserElsewhere(page: Page) {
	const other = await page.context().newPage();
	await other.goto(page.url());
	return other;
}

export async function openFile(page: Page, path: string) {
	await page.getByRole('treeitem', { name: path }).getByRole('button').first().click();
	await expect(
		page.getByRole('tab', { name: path.split('/').pop(), selected: true })
	).toBeVisible();
	await expect(editor(page)).toBeVisible();
}

export function editor(page: Page) {
	return page.getByTestId('code-editor').locator('.view-lines');
}

/**
 * Puts the cursor in the open file by clicking its first line. Not the text's centre: the
 * lines' box is as wide as the longest line, so its centre can lie outside the visible editor
 * (over the preview), and Monaco then takes the press for a drag that scrolls sideways.
 */
export async function focusEditor(page: Page) {
	await editor(page).click({ position: { x: 5, y: 5 } });
}

/**
 * Types at the very start of the open file, where every editor showing it renders the text
 * (Monaco only renders the lines in view). insertText avoids Monaco's auto-closing.
 */
export async function typeAtTop(page: Page, text: string) {
	await focusEditor(page);
	await page.keyboard.press('ControlOrMeta+Home');
	await page.keyboard.insertText(text);
}

export async function save(page: Page) {
	await page.keyboard.press('ControlOrMeta+S');
}

export function dirtyMarker(page: Page) {
	return page.getByTestId('dirty-marker');
}

/** The fake LLM that playwright.config.ts starts (tests/harness/llm). */
export const FAKE_LLM_URL = 'http://127.0.0.1:3320/v1';

/** Points the signed-in person's OpenAI-compatible server setting at the fake LLM. */
export async function useFakeLlm(page: Page) {
	await page.goto('/settings');
	const card = page.getByRole('region', { name: 'OpenAI-compatible server', exact: true });
	await card.getByLabel('Base URL').fill(FAKE_LLM_URL);
	await card.getByRole('button', { name: 'Save' }).click();
	await expect(card.getByTestId('key-status')).toHaveText('Set · no key');
}

/**
 * A guest with the fake LLM as their model server, in a new project from the template, with
 * "fake-model" picked in the chat. Returns the chat.
 */
export async function projectWithFakeModel(page: Page) {
	await continueAsGuest(page);
	await useFakeLlm(page);
	await page.goto('/');
	await newProjectFromTemplate(page);
	const chat = page.getByTestId('chat');
	await chat.getByLabel('Model', { exact: true }).fill('fake-model');
	await chat.getByLabel('Model', { exact: true }).press('Tab');
	return chat;
}

/** The preview's page, to find things in it. */
export function preview(page: Page) {
	return page.frameLocator('iframe[title="Preview"]');
}

/** The preview's page as a Frame, to run script in it (it is cross-origin). */
export function previewFrame(page: Page) {
	const frame = page
		.frames()
		.find(
			(f) =>
				f.name() === '' && /^http:\/\/127\.0\.0\.1:\d+\//.test(f.url()) && f !== page.mainFrame()
		);
	if (!frame) throw new Error('no preview frame');
	return frame;
}

export async function waitForApp(page: Page) {
	await expect(preview(page).getByRole('heading', { name: 'Ideas' })).toBeVisible({
		timeout: 180_000
	});
}

/** The id of the project whose workbench the page shows. */
export function projectIdOf(page: Page): string {
	const id = /\/projects\/([^/?#]+)/.exec(page.url())?.[1];
	if (!id) throw new Error(`not a project page: ${page.url()}`);
	return id;
}
