import { expect, test } from '@playwright/test';
import { continueAsGuest, newProjectFromTemplate } from './helpers';

const password = 'correct horse battery';

function uniqueEmail(label: string) {
	return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

test('sign up with email, sign out, sign in again', async ({ page }) => {
	const email = uniqueEmail('signup');
	await page.goto('/');
	await page.getByRole('tab', { name: 'Create account' }).click();
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByTestId('account')).toHaveText(email);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('button', { name: 'Continue as guest' })).toBeVisible();

	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('wrong password!');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');

	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('account')).toHaveText(email);
});

test('a guest who creates an account keeps their projects', async ({ page }) => {
	const email = uniqueEmail('upgrade');
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	await page.goto('/');
	await expect(page.getByRole('link', { name: /SvelteKit \+ Convex/ })).toBeVisible();

	await page.getByRole('button', { name: 'Save your work' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('Email').fill(email);
	await dialog.getByLabel('Password').fill(password);
	await dialog.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByTestId('account')).toHaveText(email);
	await expect(page.getByRole('link', { name: /SvelteKit \+ Convex/ })).toBeVisible();

	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('link', { name: /SvelteKit \+ Convex/ })).toBeVisible();
});

test('reloading a project signs in once with the stored session', async ({ page }) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	// Each refresh-token sign-in rotates the session's tokens; more than one per page load is
	// wasted round trips before anything shows, and races between tabs.
	let refreshes = 0;
	page.on('websocket', (socket) =>
		socket.on('framesent', ({ payload }) => {
			if (/"udfPath":"auth:signIn".*"refreshToken"/.test(String(payload))) refreshes++;
		})
	);
	await page.reload();
	await expect(page.getByRole('treeitem', { name: 'README.md' })).toBeVisible();
	await expect.poll(() => refreshes).toBe(1);
	// Nothing more comes after the first.
	await page.waitForTimeout(3_000);
	expect(refreshes).toBe(1);
});
