import { expect, test } from 'vitest';
import { ToolGuard } from '../../convex/agent/guards';

test('an identical call right after itself is refused without running', async () => {
	const guard = new ToolGuard(5);
	let runs = 0;
	const call = async () => {
		runs++;
		return { ok: true as const };
	};
	expect((await guard.run('read', { path: 'a', n: 1 }, call)).ok).toBe(true);
	const again = await guard.run('read', { n: 1, path: 'a' }, call);
	expect(again).toMatchObject({ ok: false, error: expect.stringContaining('same read call') });
	expect(runs).toBe(1);
	expect((await guard.run('read', { path: 'b' }, call)).ok).toBe(true);
	expect(runs).toBe(2);
});

test('failures in a row exhaust the guard; a success resets the count; throws become results', async () => {
	const guard = new ToolGuard(3);
	const fail = async () => ({ ok: false as const, error: 'nope' });
	await guard.run('a', 1, fail);
	await guard.run('a', 2, fail);
	expect(guard.exhausted).toBe(false);
	await guard.run('a', 3, async () => ({ ok: true as const }));
	expect(guard.consecutiveFailures).toBe(0);
	await guard.run('a', 4, fail);
	await guard.run('a', 5, fail);
	const thrown = await guard.run('a', 6, async () => {
		throw new Error('boom');
	});
	expect(thrown).toEqual({ ok: false, error: 'boom' });
	expect(guard.exhausted).toBe(true);
});
