// The prompt "Fix with agent" sends: the error as the person saw it, once, in a code block.
import { expect, test } from 'vitest';
import { fixPrompt } from '../../src/lib/preview/fixPrompt';

test('an error whose stack repeats its message says it once', () => {
	const prompt = fixPrompt({
		kind: 'uncaught',
		message: 'Error: Boom',
		stack: 'Error: Boom\n    at load (http://127.0.0.1:5000/src/routes/+page.svelte:3:9)',
		source: 'http://127.0.0.1:5000/src/routes/+page.svelte',
		at: 0
	});
	expect(prompt).toContain(
		'```\nUncaught error: Error: Boom\n    at load (http://127.0.0.1:5000/src/routes/+page.svelte:3:9)\nat http://127.0.0.1:5000/src/routes/+page.svelte\n```'
	);
	expect(prompt.match(/Boom/g)).toHaveLength(1);
	expect(prompt).toMatch(/^The preview of the app shows this error:/);
	expect(prompt).toMatch(/fix it, and run the checks\.$/);
});

test('a build error keeps its message and its own stack', () => {
	const prompt = fixPrompt({
		kind: 'build',
		message: 'Unexpected token',
		stack: 'src/routes/+page.svelte:4:2\n> 4 | <p>{</p>',
		at: 0
	});
	expect(prompt).toContain(
		'Build error: Unexpected token\nsrc/routes/+page.svelte:4:2\n> 4 | <p>{</p>'
	);
});

test('a huge error is cut to keep the prompt bounded', () => {
	const prompt = fixPrompt({ kind: 'console', message: 'x'.repeat(10_000), at: 0 });
	expect(prompt.length).toBeLessThan(4_300);
});
