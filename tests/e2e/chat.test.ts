import { expect, test } from '@playwright/test';
import { resetFakeLlm, scriptFakeLlm } from '../harness/llm/client';
import {
	continueAsGuest,
	editor,
	FAKE_LLM_URL,
	newProjectFromTemplate,
	useFakeLlm
} from './helpers';

const ABOUT = 'src/routes/about/+page.svelte';

test.beforeEach(async () => {
	await resetFakeLlm(FAKE_LLM_URL);
});

test('the agent builds what was asked, live; the thread survives a reload and sessions switch', async ({
	page
}) => {
	await continueAsGuest(page);
	await useFakeLlm(page);
	await page.goto('/');
	await newProjectFromTemplate(page);

	await scriptFakeLlm(FAKE_LLM_URL, [
		{
			text: ['I will add ', 'an about page ', 'for you. '],
			chunkDelayMs: 250,
			toolCalls: [
				{ name: 'write_file', args: { path: ABOUT, content: '<h1>About this app</h1>\n' } }
			],
			usage: { input: 1200, output: 60 }
		},
		{
			text: ['Added ', 'the page ', 'at /about. ', 'Open it ', 'from the preview.'],
			chunkDelayMs: 400,
			usage: { input: 1400, output: 30 }
		}
	]);

	const chat = page.getByTestId('chat');
	await chat.getByLabel('Model', { exact: true }).fill('fake-model');
	await chat.getByLabel('Model', { exact: true }).press('Tab');
	await chat.getByLabel('Message the agent').fill('add an about page');
	await chat.getByRole('button', { name: 'Send' }).click();

	await expect(chat.getByTestId('user-message')).toHaveText('add an about page');
	// Text shows while the run is still going: the answer's first words, not yet its end.
	await expect(chat.getByTestId('assistant-message').first()).toContainText('I will add');
	await expect(chat.getByTestId('run-status').locator('[data-status]')).toHaveAttribute(
		'data-status',
		'running'
	);
	await expect(chat).not.toContainText('Open it from the preview.');

	const card = chat.getByTestId('tool-card').first();
	await expect(card).toContainText('Wrote');
	await expect(card).toContainText(ABOUT);
	await expect(card.getByTestId('added-lines')).toHaveText('+ <h1>About this app</h1>');
	await expect(page.getByRole('treeitem', { name: ABOUT })).toBeVisible();
	await card.getByRole('button', { name: ABOUT }).click();
	await expect(editor(page)).toContainText('About this app');

	await expect(chat).toContainText('Added the page at /about.');
	const status = chat.getByTestId('run-status');
	await expect(status.locator('[data-status]')).toHaveAttribute('data-status', 'succeeded');
	await expect(status.getByTestId('run-tokens')).toContainText('2,600 in · 90 out');
	await expect(chat.getByTestId('project-usage')).toHaveText('2,690 tokens');

	await page.reload();
	await expect(chat.getByTestId('user-message')).toHaveText('add an about page');
	await expect(chat).toContainText('Added the page at /about.');

	// A second session starts empty; the first is intact when switched back.
	await chat.getByRole('button', { name: 'New session' }).click();
	await expect(chat.getByTestId('user-message')).toHaveCount(0);
	await chat.getByLabel('Session', { exact: true }).selectOption({ label: 'add an about page' });
	await expect(chat.getByTestId('user-message')).toHaveText('add an about page');
	await expect(chat.getByTestId('tool-card').first()).toContainText(ABOUT);
});

test('with no model configured, the chat explains how to add one', async ({ page }) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	const notice = page.getByTestId('chat').getByTestId('no-model');
	await expect(notice).toContainText('No model is configured');
	await notice.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
});

test('Stop ends a run after the step in progress, and a failing provider is reported plainly', async ({
	page
}) => {
	await continueAsGuest(page);
	await useFakeLlm(page);
	await page.goto('/');
	await newProjectFromTemplate(page);
	const chat = page.getByTestId('chat');
	const status = chat.getByTestId('run-status');
	await chat.getByLabel('Model', { exact: true }).fill('fake-model');
	await chat.getByLabel('Model', { exact: true }).press('Tab');

	await scriptFakeLlm(FAKE_LLM_URL, [
		{ text: ['Writing ', 'slowly ', 'one ', 'word ', 'at ', 'a ', 'time.'], chunkDelayMs: 500 },
		{ text: 'never requested' }
	]);
	await chat.getByLabel('Message the agent').fill('take your time');
	await chat.getByRole('button', { name: 'Send' }).click();
	await expect(chat.getByTestId('assistant-message').first()).toContainText('Writing');
	await expect(chat).not.toContainText('a time.');
	await status.getByRole('button', { name: 'Stop' }).click();
	await expect(status.locator('[data-status]')).toHaveAttribute('data-status', 'cancelled');
	await expect(status).toContainText('Stopped');

	await scriptFakeLlm(FAKE_LLM_URL, [
		{ error: { status: 500, headers: { 'retry-after-ms': '0' } } },
		{ error: { status: 500, headers: { 'retry-after-ms': '0' } } },
		{ error: { status: 500, headers: { 'retry-after-ms': '0' } } }
	]);
	await chat.getByLabel('Message the agent').fill('try again');
	await chat.getByRole('button', { name: 'Send' }).click();
	await expect(status.locator('[data-status]')).toHaveAttribute('data-status', 'failed');
	await expect(status.getByRole('alert')).toContainText(
		'The model provider had an error (HTTP 500), even after retries.'
	);
	// The thread keeps everything, and the person can send again.
	await expect(chat.getByTestId('user-message')).toHaveCount(2);
	await expect(chat.getByRole('button', { name: 'Send' })).toBeDisabled(); // empty prompt
	await chat.getByLabel('Message the agent').fill('once more');
	await expect(chat.getByRole('button', { name: 'Send' })).toBeEnabled();
});
