// Stopping a runtime's process stops all of it: the next process on the same port (a warm one
// listens within milliseconds) must find the port free.
import { createServer } from 'node:net';
import { expect, test } from 'vitest';
import { freePort, waitForHttp } from '../../src/lib/server/runtime/ports';
import { shellQuote, spawnShell } from '../../src/lib/server/runtime/processes';

/** A server that, like the emulator, takes its time to stop on SIGTERM. */
const SLOW_TO_STOP = `
const server = require('node:http').createServer((_, res) => res.end('up'));
server.listen(Number(process.argv[1]), '127.0.0.1');
process.on('SIGTERM', () => setTimeout(() => process.exit(0), 5000));
`;

function listen(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

test(
	'kill resolves once the whole group is gone and its port is free',
	{ timeout: 30_000 },
	async () => {
		const port = await freePort();
		const proc = spawnShell(
			`${shellQuote(process.execPath)} -e ${shellQuote(SLOW_TO_STOP)} ${port}`,
			{ cwd: process.cwd() }
		);
		await waitForHttp(`http://127.0.0.1:${port}/`, 10_000);
		const started = Date.now();
		await proc.kill();
		expect(await listen(port)).toBe(true);
		// Killed, not waited out: its SIGTERM handler wanted 5 s.
		expect(Date.now() - started).toBeLessThan(4_000);
		expect(() => process.kill(-proc.child.pid!, 0)).toThrow();
	}
);
