// The local runtime runs generated code on the builder's machine: it is off unless the operator
// turns it on, and while off its endpoints refuse every request before looking at it.
import { afterEach, expect, test, vi } from 'vitest';
import { GET as offered } from '../../src/routes/api/runtime/+server';
import { runtimeConfig } from '../../src/lib/server/runtime/config';
import { authorizeRuntime } from '../../src/lib/server/runtime/access';

afterEach(() => {
	vi.unstubAllEnvs();
});

test('off unless LOCAL_RUNTIME=1', async () => {
	vi.stubEnv('LOCAL_RUNTIME', '');
	expect(runtimeConfig().enabled).toBe(false);
	expect(await offered().json()).toEqual({ enabled: false });
	vi.stubEnv('LOCAL_RUNTIME', 'true');
	expect(runtimeConfig().enabled).toBe(false);
	vi.stubEnv('LOCAL_RUNTIME', '1');
	expect(runtimeConfig().enabled).toBe(true);
	expect(await offered().json()).toEqual({ enabled: true });
});

test('while off, a runtime request is refused whoever sends it', async () => {
	vi.stubEnv('LOCAL_RUNTIME', '');
	const request = new Request('http://127.0.0.1/api/runtime/p1', {
		headers: { authorization: 'Bearer any-token' }
	});
	await expect(authorizeRuntime(request, 'p1')).rejects.toMatchObject({
		status: 404,
		body: { message: 'The local runtime is not enabled on this server (set LOCAL_RUNTIME=1).' }
	});
});

test('limits come from the environment; nonsense falls back to the defaults', () => {
	vi.stubEnv('LOCAL_RUNTIME_MAX', '5');
	vi.stubEnv('LOCAL_RUNTIME_IDLE_MS', 'soon');
	const config = runtimeConfig();
	expect(config.maxRuntimes).toBe(5);
	expect(config.idleMs).toBe(15 * 60_000);
	vi.stubEnv('LOCAL_RUNTIME_MAX', '-1');
	expect(runtimeConfig().maxRuntimes).toBe(3);
});
