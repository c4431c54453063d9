import { describe, expect, test } from 'vitest';
import { currentMonth, shiftMonth, today } from './dates';

describe('dates', () => {
	test('today and currentMonth use local time', () => {
		const lateEvening = new Date(2025, 0, 31, 23, 30);
		expect(today(lateEvening)).toBe('2025-01-31');
		expect(currentMonth(lateEvening)).toBe('2025-01');
	});

	test('shiftMonth crosses year boundaries', () => {
		expect(shiftMonth('2025-01', -1)).toBe('2024-12');
		expect(shiftMonth('2024-12', 1)).toBe('2025-01');
		expect(shiftMonth('2025-03', 0)).toBe('2025-03');
		expect(shiftMonth('2025-03', -15)).toBe('2023-12');
	});
});
