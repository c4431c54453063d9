import { expect, test, type Page } from '@playwright/test';
import {
	closeExtraContexts,
	continueAsGuest,
	newContext,
	newProjectFromTemplate,
	previewFrame,
	waitForApp
} from './helpers';

// Four previews start here, one after another, on two cores.
test.setTimeout(300_000);

test.afterEach(closeExtraContexts);

/** Whether anything still answers at the preview's address. */
async function answers(url: string): Promise<boolean> {
	return fetch(url).then(
		() => true,
		() => false
	);
}

/** A person in a browser of their own, with a new project whose preview runs. */
async function runningProject(page: Page) {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await waitForApp(page);
	return new URL(previewFrame(page).url()).origin;
}

test('the server runs at most 3 previews; one nobody watches stops after the idle time', async ({
	browser,
	page
}) => {
	// The builder for e2e runs with the default limit of 3 (LOCAL_RUNTIME_MAX) and stops previews
	// nobody watches after 5 s (LOCAL_RUNTIME_IDLE_MS in playwright.config.ts).
	const first = await runningProject(page);
	const others: Page[] = [];
	for (let i = 0; i < 3; i++) others.push(await (await newContext(browser)).newPage());
	const [second, third, fourth] = others;
	await runningProject(second);
	await runningProject(third);

	// A fourth preview while three are watched: refused, with what to do about it.
	await continueAsGuest(fourth);
	await newProjectFromTemplate(fourth);
	await expect(fourth.getByText('The preview is stopped')).toBeVisible({ timeout: 60_000 });
	await expect(fourth.getByTestId('preview-state')).toContainText(
		'3 previews are running on this server, the most it allows'
	);
	await fourth.screenshot({ path: 'test-results/screens/preview-limit.png' });

	// The first person leaves: their preview makes room, and the fourth starts on request.
	await page.close();
	await fourth.getByRole('button', { name: 'Restart preview' }).click();
	await waitForApp(fourth);
	await expect.poll(() => answers(first), { timeout: 30_000 }).toBe(false);

	// Idle shutdown: a preview nobody watches any more stops by itself.
	const secondPreview = new URL(previewFrame(second).url()).origin;
	expect(await answers(secondPreview)).toBe(true);
	await second.context().close();
	await expect.poll(() => answers(secondPreview), { timeout: 30_000 }).toBe(false);
});
