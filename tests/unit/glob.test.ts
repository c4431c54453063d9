import { describe, expect, test } from 'vitest';
import { expandBraces, firstMatchingGlob, matchGlob } from '../../src/lib/shared/agent/glob';

describe('matchGlob', () => {
	test.each([
		['convex/_generated/**', 'convex/_generated/api.d.ts', true],
		['convex/_generated/**', 'convex/_generated/deep/x.js', true],
		['convex/_generated/**', 'convex/_generated', true],
		['convex/_generated/**', 'convex/_generatedX/api.ts', false],
		['convex/_generated/**', 'convex/schema.ts', false],
		['package-lock.json', 'package-lock.json', true],
		['package-lock.json', 'sub/package-lock.json', false],
		['src/*.ts', 'src/a.ts', true],
		['src/*.ts', 'src/lib/a.ts', false],
		['src/**/*.ts', 'src/a.ts', true],
		['src/**/*.ts', 'src/lib/deep/a.ts', true],
		['src/**/*.ts', 'src/lib/a.tsx', false],
		['**/*.svelte', 'App.svelte', true],
		['**/*.svelte', 'src/routes/+page.svelte', true],
		['**', 'anything/at/all', true],
		['a/**/b', 'a/b', true],
		['a/**/b', 'a/x/y/b', true],
		['a/**/b', 'a/xb', false],
		['?.ts', 'a.ts', true],
		['?.ts', 'ab.ts', false],
		['?', '/', false],
		['*.{ts,js}', 'a.js', true],
		['*.{ts,js}', 'a.css', false],
		['src/{lib,routes}/**', 'src/routes/+page.svelte', true],
		['src/{lib,routes}/**', 'src/app.html', false],
		['{a,b{c,d}}.txt', 'bd.txt', true],
		['{a}.txt', '{a}.txt', true],
		['[ab].ts', 'b.ts', true],
		['[!ab].ts', 'b.ts', false],
		['[!ab].ts', 'c.ts', true],
		['*', '.env', true],
		['a.b', 'aXb', false],
		['(x)+.ts', '(x)+.ts', true],
		['./src/*.ts', 'src/a.ts', true],
		['/src/*.ts', 'src/a.ts', true],
		['\\*.ts', '*.ts', true],
		['\\*.ts', 'a.ts', false]
	])('%s ~ %s is %s', (glob, path, expected) => {
		expect(matchGlob(glob, path)).toBe(expected);
	});

	test('matchBase: a glob without a slash matches file names anywhere', () => {
		expect(matchGlob('*.ts', 'src/lib/a.ts', { matchBase: true })).toBe(true);
		expect(matchGlob('*.ts', 'src/lib/a.ts')).toBe(false);
		// A glob with a slash stays anchored at the root.
		expect(matchGlob('lib/*.ts', 'src/lib/a.ts', { matchBase: true })).toBe(false);
	});

	test('firstMatchingGlob names the rule that matched', () => {
		const globs = ['package-lock.json', 'convex/_generated/**'];
		expect(firstMatchingGlob(globs, 'convex/_generated/api.js')).toBe('convex/_generated/**');
		expect(firstMatchingGlob(globs, 'src/app.ts')).toBeNull();
	});

	test('brace expansion is bounded', () => {
		expect(expandBraces('a{b,c}d{e,f}')).toEqual(['abde', 'abdf', 'acde', 'acdf']);
		expect(() => matchGlob('{a,b}'.repeat(10), 'a')).toThrow(/alternatives/);
	});
});
