import { describe, expect, test } from 'vitest';
import {
	addPackagesCommand,
	isAllowedCommand,
	isPackageSpec,
	PROJECT_COMMANDS
} from '../../src/lib/preview/commands';

describe('project commands over the network', () => {
	test('the project commands and adding packages are allowed', () => {
		for (const command of Object.values(PROJECT_COMMANDS))
			expect(isAllowedCommand(command)).toBe(true);
		expect(isAllowedCommand(addPackagesCommand(['date-fns', '@scope/pkg@1.2.3'], false))).toBe(
			true
		);
		expect(isAllowedCommand(addPackagesCommand(['vitest'], true))).toBe(true);
	});

	test('anything else, or shell syntax hidden in a package name, is refused', () => {
		for (const command of [
			'rm -rf /',
			'npm run check; rm -rf /',
			'npm install --no-audit --no-fund --package-lock-only --save-exact',
			'npm install --no-audit --no-fund --package-lock-only --save-exact left-pad;id',
			'npm install --no-audit --no-fund --package-lock-only --save-exact $(id)',
			'npm install --no-audit --no-fund --package-lock-only --save-exact --save-dev',
			'npm install left-pad'
		]) {
			expect(isAllowedCommand(command), command).toBe(false);
		}
	});

	test('package specs', () => {
		expect(isPackageSpec('zod@4.1.0')).toBe(true);
		expect(isPackageSpec('@convex-dev/agent')).toBe(true);
		expect(isPackageSpec('../evil')).toBe(false);
		expect(isPackageSpec('a b')).toBe(false);
		expect(() => addPackagesCommand(['ok', 'not ok'], false)).toThrow('is not an npm package');
		expect(() => addPackagesCommand([], false)).toThrow('at least one');
	});
});
