import { expect, test, type Page } from '@playwright/test';
import { resetFakeLlm, scriptFakeLlm } from '../harness/llm/client';
import { FAKE_LLM_URL, previewFrame, projectWithFakeModel, waitForApp } from './helpers';

test.setTimeout(180_000);

test.beforeEach(async () => {
	await resetFakeLlm(FAKE_LLM_URL);
});

/** The app in the preview throws, outside any handler, as a bug in it would. */
async function throwInPreview(page: Page, message: string) {
	await previewFrame(page).evaluate((text) => {
		setTimeout(() => {
			throw new Error(text);
		});
	}, message);
}

test('a runtime error in the preview shows with Fix with agent; auto-fix sends errors by itself and stops after 3 in a row', async ({
	page
}) => {
	const chat = await projectWithFakeModel(page);
	await waitForApp(page);
	// One answer for the person's fix, three for auto-fix; a fifth request would fail the test.
	await scriptFakeLlm(
		FAKE_LLM_URL,
		[1, 2, 3, 4].map((n) => ({
			expectContains: `Boom ${n}`,
			text: `Looked at error ${n}.`
		}))
	);
	const status = chat.getByTestId('run-status').locator('[data-status]');
	const prompts = chat.getByTestId('user-message');

	// The error appears in the workbench; Fix with agent sends it as the prompt.
	await throwInPreview(page, 'Boom 1');
	const bar = page.getByTestId('preview-error');
	await expect(bar).toContainText('Error: Boom 1');
	await bar.getByRole('button', { name: 'Fix with agent' }).click();
	await expect(prompts).toHaveCount(1);
	await expect(prompts.first()).toContainText('The preview of the app shows this error');
	await expect(prompts.first()).toContainText('Boom 1');
	await expect(chat).toContainText('Looked at error 1.');
	await expect(status).toHaveAttribute('data-status', 'succeeded');
	await expect(bar).toHaveCount(0);

	// Auto-fix on: each new error goes to the agent without a click, three times in a row.
	await page.getByRole('button', { name: 'Auto-fix errors' }).click();
	await expect(page.getByRole('button', { name: 'Auto-fix errors' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	for (const n of [2, 3, 4]) {
		await throwInPreview(page, `Boom ${n}`);
		await expect(prompts).toHaveCount(n);
		await expect(prompts.last()).toContainText(`Boom ${n}`);
		await expect(chat).toContainText(`Looked at error ${n}.`);
		await expect(status).toHaveAttribute('data-status', 'succeeded');
	}
	await page.screenshot({ path: 'test-results/screens/auto-fix.png' });

	// The fourth error in a row is left for the person.
	await throwInPreview(page, 'Boom 5');
	await expect(bar).toContainText('Boom 5');
	await expect(page.getByTestId('auto-fix-stopped')).toContainText('stopped after 3 attempts');
	await page.waitForTimeout(1_000);
	await expect(prompts).toHaveCount(4);
});
