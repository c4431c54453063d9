import { expect, test } from '@playwright/test';
import { continueAsGuest, preview } from './helpers';

// The other two templates install their dependencies on first use (only the main template's
// are installed before the tests), on two cores.
test.setTimeout(300_000);

// What each template's app shows once its Convex backend answered in the preview.
const TEMPLATES = [
	{ name: 'React + Vite + Convex', heading: 'Tasks', live: 'No tasks yet' },
	{ name: 'SvelteKit dashboard + Convex', heading: 'Expenses', live: 'Spending by category' }
];

for (const template of TEMPLATES) {
	test(`a new project from ${template.name} runs in the preview with its backend`, async ({
		page
	}) => {
		await continueAsGuest(page);
		await page.getByRole('button', { name: `Use template ${template.name}` }).click();
		await expect(page).toHaveURL(/\/projects\/[^/]+$/);
		const app = preview(page);
		await expect(app.getByRole('heading', { name: template.heading, exact: true })).toBeVisible({
			timeout: 240_000
		});
		await expect(app.getByText(template.live)).toBeVisible();
		await expect(app.getByText('Convex is not connected')).toHaveCount(0);
		await page.screenshot({
			path: `test-results/screens/template-${template.heading.toLowerCase()}.png`
		});
	});
}
