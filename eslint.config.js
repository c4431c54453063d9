import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// Bookkeeping maps and sets (caches, in-flight requests) are deliberately not reactive.
			'svelte/prefer-svelte-reactivity': 'off',
			// The builder is served at the root; there is no base path to resolve.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			// No `projectService`: no type-aware rule is enabled (svelte-check and tsc do the
			// type checking), and building the whole program for ESLint took 2 of lint's 2.3 minutes.
			parserOptions: {
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'convex/_generated/',
			'tests/harness/emulator/fixture/convex/_generated/',
			'templates/*/convex/_generated/',
			'templates/*/.svelte-kit/',
			'templates/*/node_modules/',
			'templates/*/build/',
			'test-results/',
			'playwright-report/'
		]
	}
);
