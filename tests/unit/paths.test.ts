import { expect, test } from 'vitest';
import { checkPath } from '../../src/lib/shared/paths';

test.each([
	['src/app.ts', true],
	['a/b/c.svelte', true],
	['', false],
	['/etc/passwd', false],
	['C:/x', false],
	['../x', false],
	['a/./b', false],
	['a//b', false],
	['a\\b', false],
	['a\u0000b', false],
	['node_modules/x/index.js', false],
	['src/.git/config', false],
	[' a.ts', false],
	['x'.repeat(201), false],
	[Array(13).fill('d').join('/'), false]
])('checkPath(%j) ok=%s', (path, ok) => {
	expect(checkPath(path).ok).toBe(ok);
});

test('paths are NFC-normalized', () => {
	const decomposed = 'cafe\u0301.txt';
	const result = checkPath(decomposed);
	expect(result).toEqual({ ok: true, path: 'caf\u00e9.txt' });
});
