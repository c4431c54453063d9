import { describe, expect, test } from 'vitest';
import { parseAmount } from './money';

describe('parseAmount', () => {
	test('reads whole and decimal amounts as exact cents', () => {
		expect(parseAmount('12')).toBe(1200);
		expect(parseAmount(' 12.5 ')).toBe(1250);
		expect(parseAmount('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
		expect(parseAmount('.99')).toBe(99);
		expect(parseAmount('0')).toBe(0);
	});

	test('refuses anything else', () => {
		for (const text of ['', ' ', '.', 'abc', '1.234', '-5', '1,000', '1e3', '$5', '12.']) {
			expect(parseAmount(text), text).toBeNull();
		}
	});
});
