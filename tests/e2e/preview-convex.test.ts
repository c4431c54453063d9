import { expect, test } from '@playwright/test';
import {
	continueAsGuest,
	newProjectFromTemplate,
	openFile,
	preview,
	save,
	typeAtTop,
	waitForApp
} from './helpers';

// A preview start pushes convex/ with the Convex CLI beside the dev server, on two cores.
test.setTimeout(240_000);

// The one team token the fake Platform API (tests/harness/platform) accepts.
const TEAM_TOKEN = 'fake-team-token-7f3a9c';
const COUNT_QUERY = `export const count = query({
	args: {},
	handler: async (ctx) => (await ctx.db.query('ideas').collect()).length
});
`;

async function queryDeployment(url: string, path: string) {
	const answer = await fetch(`${url}/api/query`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ path, args: [{}], format: 'json' })
	});
	return (await answer.json()) as { status: string; value?: unknown; errorMessage?: string };
}

test('with Convex connected, the preview runs on the project’s dev deployment, and convex/ edits are pushed there', async ({
	page
}) => {
	await continueAsGuest(page);
	await page.goto('/settings');
	const convex = page.getByRole('region', { name: 'Convex', exact: true });
	await convex.getByLabel('Access token', { exact: true }).fill(TEAM_TOKEN);
	await convex.getByRole('button', { name: 'Connect' }).click();
	await expect(convex.getByTestId('convex-connection-status')).toContainText('team 42');

	await page.goto('/');
	await newProjectFromTemplate(page);
	await waitForApp(page);
	// The terminal shows its last rows: the Convex CLI's push, then the runtime's word on it.
	const terminal = page.getByTestId('terminal');
	await expect(terminal).toContainText('convex/ is pushed to the dev deployment');
	const log = (await terminal.textContent()) ?? '';
	const devUrl = /Deployed Convex functions to (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1];
	expect(devUrl).toBeDefined();

	// The idea added in the preview is stored on the dev deployment, not in a local emulator.
	await preview(page).getByLabel('New idea').fill('Stored on Convex');
	await preview(page).getByRole('button', { name: 'Add' }).click();
	await expect(
		preview(page).getByRole('region', { name: 'Ideas' }).getByText('Stored on Convex')
	).toBeVisible();
	const listed = await queryDeployment(devUrl!, 'ideas:list');
	expect(listed.status).toBe('success');
	expect(JSON.stringify(listed.value)).toContain('Stored on Convex');
	await page.screenshot({ path: 'test-results/screens/preview-dev-deployment.png' });

	// A saved change to convex/ is pushed there, and the new function runs.
	await openFile(page, 'convex/ideas.ts');
	await typeAtTop(page, COUNT_QUERY);
	await save(page);
	// (Convex keeps the data across pushes; this stand-in deployment starts each push empty,
	// see tests/harness/emulator/README.md, so only the new function is checked.)
	await expect
		.poll(async () => (await queryDeployment(devUrl!, 'ideas:count')).status, {
			timeout: 60_000
		})
		.toBe('success');
	expect((await queryDeployment(devUrl!, 'ideas:count')).value).toEqual(expect.any(Number));
	// No credential reached the page.
	expect(await page.content()).not.toMatch(/fake-secret-|dev:fake-dev-deployment/);
});
