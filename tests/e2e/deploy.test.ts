import { expect, test, type Page } from '@playwright/test';
import { resetFakeLlm, scriptFakeLlm } from '../harness/llm/client';
import { failNextOver } from '../harness/platform/server';
import {
	continueAsGuest,
	FAKE_LLM_URL,
	newProjectFromTemplate,
	openFile,
	projectWithFakeModel,
	save,
	typeAtTop,
	waitForApp
} from './helpers';
import { SELF_HOSTED_ADMIN_KEY, SELF_HOSTED_PORT } from './environment';

// A deploy runs codegen, the typecheck, a build and an upload, beside the preview, on 2 cores.
test.setTimeout(300_000);

const DEPLOY_TIMEOUT = 200_000;
const GREETING = 'Hello from the environment';
const GREETING_MODULE = `import { query } from './_generated/server';

export const get = query({ args: {}, handler: async () => process.env.GREETING ?? null });
`;

/** Opens the deploy panel with its shortcut, from wherever the focus is, and deploys. */
async function deploy(page: Page) {
	await page.keyboard.press('ControlOrMeta+Shift+D');
	const dialog = page.getByRole('dialog', { name: 'Deploy' });
	await dialog.getByRole('button', { name: 'Deploy now' }).click();
	return dialog;
}

test('the template deploys to the offline target and works there, live, with its environment', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await waitForApp(page);
	// A function that reads an environment variable, to see the deployment gets it.
	await page.getByRole('button', { name: 'New file' }).click();
	await page.getByRole('dialog').getByRole('textbox').fill('convex/greeting.ts');
	await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
	await expect(page.getByRole('tab', { name: 'greeting.ts', selected: true })).toBeVisible();
	await typeAtTop(page, GREETING_MODULE);
	await save(page);

	await page.getByRole('button', { name: 'Deploy', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Deploy' });
	// A variable for the app: write-only, so only its name shows once saved.
	await dialog.getByText('Environment variables').click();
	await dialog.getByLabel('Name').fill('GREETING');
	await dialog.getByLabel('Value').fill(GREETING);
	await dialog.getByRole('button', { name: 'Add' }).click();
	await expect(dialog.getByTestId('app-env').getByText('GREETING', { exact: true })).toBeVisible();
	await expect(dialog.getByLabel('Value')).toHaveValue('');
	await expect(dialog).not.toContainText(GREETING);
	await dialog.getByRole('button', { name: 'Deploy now' }).click();
	const status = dialog.getByTestId('deploy-status');
	await expect(status).toHaveAttribute('data-status', 'succeeded', { timeout: DEPLOY_TIMEOUT });
	for (const step of ['checking', 'pushing', 'building', 'uploading']) {
		await expect(dialog.locator(`[data-step="${step}"]`)).toHaveAttribute('data-state', 'done');
	}
	// The log shows each step's own output, in order: checks, push, build, upload.
	const log = dialog.getByTestId('deploy-log');
	await expect(log).toContainText('svelte-check found 0 errors');
	const text = (await log.textContent()) ?? '';
	const order = ['$ npm run check', 'the backend is live', '$ npm run build', 'Upload complete'];
	const positions = order.map((marker) => text.indexOf(marker));
	expect(positions.every((p) => p >= 0)).toBe(true);
	expect([...positions].sort((a, b) => a - b)).toEqual(positions);
	await page.screenshot({ path: 'test-results/screens/deploy.png' });

	// The URL opens the deployed app, served by the deployment itself, and its backend works.
	const url = (await dialog.getByTestId('deploy-url').textContent())!.trim();
	const [app] = await Promise.all([
		page.context().waitForEvent('page'),
		dialog.getByRole('link', { name: 'Open app' }).click()
	]);
	await app.waitForLoadState();
	expect(app.url()).toBe(url);
	await expect(app.getByRole('heading', { name: 'Ideas' })).toBeVisible();
	await app.getByLabel('New idea').fill('Deployed and live');
	await app.getByRole('button', { name: 'Add' }).click();
	await expect(
		app.getByRole('region', { name: 'Ideas' }).getByText('Deployed and live')
	).toBeVisible();
	// Live: a second visitor sees the idea too, and a change one of them makes reaches the other.
	const second = await page.context().newPage();
	await second.goto(url);
	await expect(
		second.getByRole('region', { name: 'Ideas' }).getByText('Deployed and live')
	).toBeVisible();
	await second.getByLabel('New idea').fill('Seen by both');
	await second.getByRole('button', { name: 'Add' }).click();
	await expect(app.getByRole('region', { name: 'Ideas' }).getByText('Seen by both')).toBeVisible();
	await app.screenshot({ path: 'test-results/screens/deployed-app.png' });

	// The deployment's functions see the variable.
	const backendUrl = (await dialog.getByTestId('deploy-backend-url').textContent())!.trim();
	const answer = await fetch(`${backendUrl}/api/query`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ path: 'greeting:get', args: [{}], format: 'json' })
	});
	expect(await answer.json()).toMatchObject({ status: 'success', value: GREETING });
	await Promise.all([app.close(), second.close()]);
});

test.describe('a failing typecheck', () => {
	test.beforeEach(async () => {
		await resetFakeLlm(FAKE_LLM_URL);
	});

	test('stops the deploy before the push, shows why, and Fix with agent sends it', async ({
		page
	}) => {
		const chat = await projectWithFakeModel(page);
		await waitForApp(page);
		await openFile(page, 'convex/limits.ts');
		await typeAtTop(page, "export const broken: number = 'not a number';\n");
		await save(page);

		const dialog = await deploy(page);
		await expect(dialog.getByTestId('deploy-status')).toHaveAttribute('data-status', 'failed', {
			timeout: DEPLOY_TIMEOUT
		});
		await expect(dialog.locator('[data-step="checking"]')).toHaveAttribute('data-state', 'failed');
		for (const step of ['pushing', 'building', 'uploading']) {
			await expect(dialog.locator(`[data-step="${step}"]`)).toHaveAttribute(
				'data-state',
				'pending'
			);
		}
		await expect(dialog.getByTestId('deploy-error')).toContainText(
			'The typecheck failed, so nothing was pushed'
		);
		const log = dialog.getByTestId('deploy-log');
		await expect(log).toContainText("Type 'string' is not assignable to type 'number'");
		await expect(log).not.toContainText('the backend is live');
		await page.screenshot({ path: 'test-results/screens/deploy-failed.png' });

		await scriptFakeLlm(FAKE_LLM_URL, [
			{ expectContains: "Type 'string' is not assignable", text: 'I will fix the typecheck.' }
		]);
		await dialog.getByRole('button', { name: 'Fix with agent' }).click();
		await expect(dialog).toBeHidden();
		const prompt = chat.getByTestId('user-message').last();
		await expect(prompt).toContainText('Deploying the app failed at the step "Check"');
		await expect(chat).toContainText('I will fix the typecheck.');
	});
});

// The fake Platform API playwright.config.ts starts, and the one team token it accepts.
const FAKE_PLATFORM_URL = 'http://127.0.0.1:3330';
const TEAM_TOKEN = 'fake-team-token-7f3a9c';

test('to your own Convex with a team token: refusals are readable failures, then it provisions and pushes, and the app works', async ({
	page
}) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await waitForApp(page);
	// Convex is connected in another tab while the workbench stays open: its preview keeps the
	// local backend, so the deploy is what first provisions the app's Convex project. (A preview
	// started with Convex connected provisions it itself: preview-convex.test.ts.)
	const settings = await page.context().newPage();
	await settings.goto('/settings');
	const convex = settings.getByRole('region', { name: 'Convex', exact: true });
	await convex.getByLabel('Access token', { exact: true }).fill(TEAM_TOKEN);
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByTestId('convex-connection-status')).toContainText('team 42');
	await settings.close();

	await page.getByRole('button', { name: 'Deploy', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Deploy' });
	// With Convex connected, that is where a deploy goes unless the person picks offline.
	await expect(dialog.getByRole('radio', { name: /Your Convex/ })).toBeChecked();
	// One refusal end to end (each deploy costs its checks on 2 cores); that 401, 429 and 5xx
	// answers all read well is tests/convex/convex-connection.test.ts's job.
	await failNextOver(FAKE_PLATFORM_URL, /create_project$/, 429);
	await dialog.getByRole('button', { name: 'Deploy now' }).click();
	await expect(dialog.getByTestId('deploy-status')).toHaveAttribute('data-status', 'failed', {
		timeout: DEPLOY_TIMEOUT
	});
	await expect(dialog.locator('[data-step="checking"]')).toHaveAttribute('data-state', 'done');
	await expect(dialog.locator('[data-step="pushing"]')).toHaveAttribute('data-state', 'failed');
	await expect(dialog.getByTestId('deploy-error')).toContainText(
		'Convex is rate limiting requests while creating a Convex project'
	);
	await expect(dialog.getByTestId('deploy-error')).toContainText('HTTP 429');
	// Not the code's fault, so nothing for the agent to fix.
	await expect(dialog.getByRole('button', { name: 'Fix with agent' })).toHaveCount(0);
	await page.screenshot({ path: 'test-results/screens/deploy-convex-refused.png' });
	expect(await page.content()).not.toContain(TEAM_TOKEN);

	// Once Convex answers, the builder provisions the app's project and deploy key, and the
	// Convex CLI pushes with that key to the deployment (the fake Platform's, a real push).
	await dialog.getByRole('button', { name: 'Deploy now' }).click();
	await expect(dialog.getByTestId('deploy-status')).toHaveAttribute('data-status', 'succeeded', {
		timeout: DEPLOY_TIMEOUT
	});
	const backendUrl = (await dialog.getByTestId('deploy-backend-url').textContent())!.trim();
	await expect(dialog.getByTestId('deploy-log')).toContainText(
		`Deployed Convex functions to ${backendUrl}`
	);
	const url = (await dialog.getByTestId('deploy-url').textContent())!.trim();
	const app = await page.context().newPage();
	await app.goto(url);
	await app.getByLabel('New idea').fill('Provisioned and live');
	await app.getByRole('button', { name: 'Add' }).click();
	await expect(
		app.getByRole('region', { name: 'Ideas' }).getByText('Provisioned and live')
	).toBeVisible();
	await app.close();
	// The failed attempt stays in the history beside the live one.
	await dialog.getByText('History (2)').click();
	await expect(dialog.getByTestId('deploy-history').getByRole('listitem')).toHaveCount(2);
	expect(await page.content()).not.toContain(TEAM_TOKEN);
	expect(await page.content()).not.toContain('fake-secret-');
});

test('to a self-hosted Convex backend: the real `convex deploy` pushes there and the app works', async ({
	page
}) => {
	const backendUrl = `http://127.0.0.1:${SELF_HOSTED_PORT}`;
	await continueAsGuest(page);
	await page.goto('/settings');
	const convex = page.getByRole('region', { name: 'Convex', exact: true });
	await convex.getByRole('radio', { name: 'Self-hosted backend' }).check();
	await convex.getByLabel('Backend URL').fill(backendUrl);
	// The backend itself checks the admin key when the connection is saved.
	await convex.getByLabel('Admin key', { exact: true }).fill('not-its-admin-key');
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByRole('alert')).toContainText('refused that admin key (HTTP 401)');
	await convex.getByLabel('Admin key', { exact: true }).fill(SELF_HOSTED_ADMIN_KEY);
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByTestId('convex-connection-status')).toHaveText(
		`Self-hosted backend · ${backendUrl} · ends in ${SELF_HOSTED_ADMIN_KEY.slice(-4)}`
	);

	await page.goto('/');
	await newProjectFromTemplate(page);
	await waitForApp(page);
	await page.getByRole('button', { name: 'New file' }).click();
	await page.getByRole('dialog').getByRole('textbox').fill('convex/greeting.ts');
	await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
	await expect(page.getByRole('tab', { name: 'greeting.ts', selected: true })).toBeVisible();
	await typeAtTop(page, GREETING_MODULE);
	await save(page);

	await page.getByRole('button', { name: 'Deploy', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Deploy' });
	await expect(dialog.getByRole('radio', { name: /Your Convex/ })).toBeChecked();
	await dialog.getByText('Environment variables').click();
	await dialog.getByLabel('Name').fill('GREETING');
	await dialog.getByLabel('Value').fill(GREETING);
	await dialog.getByRole('button', { name: 'Add' }).click();
	await expect(dialog.getByTestId('app-env').getByText('GREETING', { exact: true })).toBeVisible();
	await dialog.getByRole('button', { name: 'Deploy now' }).click();
	await expect(dialog.getByTestId('deploy-status')).toHaveAttribute('data-status', 'succeeded', {
		timeout: DEPLOY_TIMEOUT
	});
	// The Convex CLI's own output: it pushed to the person's backend.
	const log = dialog.getByTestId('deploy-log');
	await expect(log).toContainText(`Deployed Convex functions to ${backendUrl}`);
	await expect(dialog.getByTestId('deploy-backend-url')).toHaveText(backendUrl);
	await page.screenshot({ path: 'test-results/screens/deploy-self-hosted.png' });

	// The site is served by that backend's static hosting, and its live feature works.
	const url = (await dialog.getByTestId('deploy-url').textContent())!.trim();
	expect(url).toBe(`http://127.0.0.1:${SELF_HOSTED_PORT + 1}/`);
	const app = await page.context().newPage();
	await app.goto(url);
	await expect(app.getByRole('heading', { name: 'Ideas' })).toBeVisible();
	await app.getByLabel('New idea').fill('On my own backend');
	await app.getByRole('button', { name: 'Add' }).click();
	await expect(
		app.getByRole('region', { name: 'Ideas' }).getByText('On my own backend')
	).toBeVisible();

	// The variable was set on the deployment before the push, and its functions read it.
	const answer = await fetch(`${backendUrl}/api/query`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ path: 'greeting:get', args: [{}], format: 'json' })
	});
	expect(await answer.json()).toMatchObject({ status: 'success', value: GREETING });
	expect(await page.content()).not.toContain(SELF_HOSTED_ADMIN_KEY);
	await app.close();
	await page.goto('/settings');
	await page
		.getByRole('region', { name: 'Convex', exact: true })
		.getByRole('button', { name: 'Disconnect' })
		.click();
});
