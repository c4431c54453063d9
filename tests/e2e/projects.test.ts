import { expect, test } from '@playwright/test';
import { continueAsGuest, newProjectFromTemplate } from './helpers';

test('a project is renamed and deleted from the home page', async ({ page }) => {
	await continueAsGuest(page);
	await newProjectFromTemplate(page);
	const projectUrl = page.url();
	await page.goto('/');

	await page.getByRole('link', { name: /SvelteKit \+ Convex/ }).hover();
	await page.getByRole('button', { name: 'Rename SvelteKit + Convex' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('Name').fill('   ');
	await dialog.getByRole('button', { name: 'Rename' }).click();
	await expect(dialog.getByRole('alert')).toHaveText('A project needs a name.');
	await dialog.getByLabel('Name').fill('Grocery list');
	await dialog.getByRole('button', { name: 'Rename' }).click();
	await expect(page.getByRole('link', { name: /Grocery list/ })).toBeVisible();

	await page.getByRole('link', { name: /Grocery list/ }).hover();
	await page.getByRole('button', { name: 'Delete Grocery list' }).click();
	await page.getByRole('button', { name: 'Delete project' }).click();
	await expect(page.getByText('No projects yet.')).toBeVisible();

	await page.goto(projectUrl);
	await expect(page.getByRole('heading', { name: 'Project not found' })).toBeVisible();
});
