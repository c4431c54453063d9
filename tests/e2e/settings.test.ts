import { expect, test, type Page } from '@playwright/test';
import { continueAsGuest } from './helpers';

// Unique per run, so a match can only come from this test's key.
const KEY = `sk-e2e-${Date.now().toString(36)}-PlaintextMustNotLeak-${Math.random().toString(36).slice(2, 6)}`;
const LAST4 = KEY.slice(-4);

/** Every WebSocket frame the server sends to the browser (Convex sync: query results). */
function framesReceived(page: Page): string[] {
	const received: string[] = [];
	page.on('websocket', (ws) => {
		ws.on('framereceived', ({ payload }) => {
			received.push(typeof payload === 'string' ? payload : payload.toString('utf8'));
		});
	});
	return received;
}

function card(page: Page, label: string) {
	return page.getByRole('region', { name: label, exact: true });
}

test('a guest saves an OpenAI key; the plaintext never comes back from the server', async ({
	page
}) => {
	const received = framesReceived(page);

	await continueAsGuest(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page).toHaveURL(/\/settings$/);
	await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();

	const openai = card(page, 'OpenAI');
	await expect(openai.getByTestId('key-status')).toHaveText('Not set');
	await expect(page.getByText('No model provider is set up yet')).toBeVisible();

	// A bad key is refused with a plain message and nothing is saved.
	await openai.getByLabel('API key').fill('sk bad');
	await openai.getByRole('button', { name: 'Save' }).click();
	await expect(openai.getByRole('alert')).toContainText('without spaces');
	await expect(openai.getByTestId('key-status')).toHaveText('Not set');

	await openai.getByLabel('API key').fill(KEY);
	await openai.getByRole('button', { name: 'Save' }).click();
	await expect(openai.getByTestId('key-status')).toHaveText(`Set · ends in ${LAST4}`);
	await expect(openai.getByRole('alert')).toHaveCount(0);
	await expect(openai.getByLabel('API key')).toHaveValue('');
	await expect(page.getByText('No model provider is set up yet')).toHaveCount(0);

	await page.reload();
	await expect(card(page, 'OpenAI').getByTestId('key-status')).toHaveText(`Set · ends in ${LAST4}`);
	await expect(card(page, 'Anthropic').getByTestId('key-status')).toHaveText('Not set');
	expect(await page.locator('body').innerText()).not.toContain(KEY.slice(0, -4));

	await card(page, 'OpenAI').getByRole('button', { name: 'Remove' }).click();
	await expect(card(page, 'OpenAI').getByTestId('key-status')).toHaveText('Not set');
	await expect(card(page, 'OpenAI').getByRole('button', { name: 'Remove' })).toHaveCount(0);

	// The sync connection did carry query results (so the check below is not vacuous), and the
	// last four were sent on purpose; no frame holds the rest of the key.
	expect(received.some((frame) => frame.includes(`"last4":"${LAST4}"`))).toBe(true);
	const leaks = received.filter((frame) => frame.includes(KEY) || frame.includes(KEY.slice(0, -4)));
	expect(leaks).toEqual([]);
});

test('an OpenAI-compatible server needs a base URL; a guest signed out sees no keys', async ({
	page
}) => {
	await continueAsGuest(page);
	await page.goto('/settings');
	const compatible = card(page, 'OpenAI-compatible server');
	await compatible.getByRole('button', { name: 'Save' }).click();
	await expect(compatible.getByRole('alert')).toContainText('base URL');
	await compatible.getByLabel('Base URL').fill('http://localhost:11434/v1/');
	await compatible.getByRole('button', { name: 'Save' }).click();
	await expect(compatible.getByTestId('key-status')).toHaveText('Set · no key');
	await page.reload();
	await expect(card(page, 'OpenAI-compatible server').getByLabel('Base URL')).toHaveValue(
		'http://localhost:11434/v1'
	);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.goto('/settings');
	await expect(page.getByText('Sign in to manage your model keys.')).toBeVisible();
});

// The one team token the fake Platform API (tests/harness/platform) accepts.
const TEAM_TOKEN = 'fake-team-token-7f3a9c';

test('Convex is connected with a team token Convex accepts; the token never comes back', async ({
	page
}) => {
	const received = framesReceived(page);
	await continueAsGuest(page);
	await page.goto('/settings');
	const convex = card(page, 'Convex');
	await expect(convex.getByTestId('convex-connection-status')).toHaveText('Not connected');

	// A token Convex refuses: its answer, in words, and nothing saved.
	await convex.getByLabel('Access token', { exact: true }).fill('not-a-real-token');
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByRole('alert')).toContainText('Convex refused the access token');
	await expect(convex.getByTestId('convex-connection-status')).toHaveText('Not connected');

	// A deploy key in the wrong shape is refused before anything is sent.
	await convex.getByRole('radio', { name: 'Deploy key' }).check();
	await convex.getByLabel('Key', { exact: true }).fill('just-some-text');
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByRole('alert')).toContainText('A deploy key looks like prod:');
	// One of the right shape is checked with its deployment, which refuses this one.
	await convex.getByLabel('Key', { exact: true }).fill('prod:happy-otter-123|not-its-secret');
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByRole('alert')).toContainText('refused that deploy key (HTTP 401)');
	await expect(convex.getByTestId('convex-connection-status')).toHaveText('Not connected');

	await convex.getByRole('radio', { name: 'Team access token' }).check();
	await convex.getByLabel('Access token', { exact: true }).fill(TEAM_TOKEN);
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByTestId('convex-connection-status')).toHaveText(
		`Team access token · team 42 · ends in ${TEAM_TOKEN.slice(-4)}`
	);
	await expect(convex.getByRole('alert')).toHaveCount(0);
	await page.screenshot({ path: 'test-results/screens/settings-convex.png' });
	await page.reload();
	await expect(card(page, 'Convex').getByTestId('convex-connection-status')).toContainText(
		'team 42'
	);
	expect(received.some((frame) => frame.includes(`"last4":"${TEAM_TOKEN.slice(-4)}"`))).toBe(true);
	expect(received.filter((frame) => frame.includes(TEAM_TOKEN))).toEqual([]);

	await card(page, 'Convex').getByRole('button', { name: 'Disconnect' }).click();
	await expect(card(page, 'Convex').getByTestId('convex-connection-status')).toHaveText(
		'Not connected'
	);
});
