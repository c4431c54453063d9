import { expect, test } from '@playwright/test';
import { resetFakeLlm, scriptFakeLlm } from '../harness/llm/client';
import { E2E_RUNTIME_DIR } from './environment';
import { editor, FAKE_LLM_URL, openFile, projectWithFakeModel, waitForApp } from './helpers';

// Checks run in the preview's runtime, beside its dev server, on two cores.
test.setTimeout(240_000);

test.beforeEach(async () => {
	await resetFakeLlm(FAKE_LLM_URL);
});

const FILE = 'convex/answers.ts';
const broken = `import { query } from './_generated/server';

export const answer = query({ args: {}, handler: async (): Promise<number> => 'forty-two' });
`;

test('the agent runs checks in the preview, reads the type error, fixes it, and the checks pass', async ({
	page
}) => {
	const chat = await projectWithFakeModel(page);
	await waitForApp(page);

	await scriptFakeLlm(FAKE_LLM_URL, [
		{ toolCalls: [{ name: 'write_file', args: { path: FILE, content: broken } }] },
		{ toolCalls: [{ name: 'run_checks', args: { checks: ['codegen', 'typecheck'] } }] },
		{
			// The model gets the checker's own words back.
			expectContains: 'is not assignable to type',
			text: 'The handler returns a string; fixing it. ',
			toolCalls: [
				{
					name: 'edit_file',
					args: { path: FILE, edits: [{ search: "'forty-two'", replace: '42' }] }
				}
			]
		},
		{ toolCalls: [{ name: 'run_checks', args: {} }] },
		{ expectContains: 'typecheck: passed', text: 'Fixed: the checks pass now.' }
	]);

	await chat.getByLabel('Message the agent').fill('add an answer query');
	await chat.getByRole('button', { name: 'Send' }).click();

	const checks = chat.getByTestId('check-results');
	await expect(checks.first()).toContainText('typecheck FAILED', { timeout: 120_000 });
	await expect(checks.first()).toContainText('codegen passed');
	await expect(checks.nth(1)).toContainText('typecheck passed', { timeout: 120_000 });
	await expect(chat).toContainText('Fixed: the checks pass now.');
	await expect(chat.getByTestId('run-status').locator('[data-status]')).toHaveAttribute(
		'data-status',
		'succeeded'
	);
	// The checker's output is in the card, and the log panel shows the checks running.
	await checks.first().locator('..').getByText('Output').click();
	await expect(
		chat.getByText("Type 'string' is not assignable to type 'number'").first()
	).toBeVisible();
	// Files are named by their paths in the project, not by where the server keeps its copy.
	await expect(checks.first().locator('..')).toContainText(`${FILE}:`);
	await expect(checks.first().locator('..')).not.toContainText(E2E_RUNTIME_DIR);
	await checks.nth(1).locator('..').getByText('Output').click();
	await expect(checks.nth(1).locator('..')).toContainText('svelte-check found 0 errors');
	// Only its last lines are in view: the dev server may print after the checks' own output.
	await expect(page.getByTestId('terminal')).toContainText('[exit 0]');
	await page.screenshot({ path: 'test-results/screens/agent-runtime.png' });

	// What codegen wrote went back into the project: the generated API knows the new module.
	await openFile(page, 'convex/_generated/api.d.ts');
	await expect(editor(page)).toContainText('answers');
});
