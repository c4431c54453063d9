// Starting and stopping the real servers a browser bench needs (emulator, fake LLM, builder),
// each as a direct child process so that killing it by pid stops the server itself and not a
// wrapper (npx, tsx's CLI) that would leave the server holding its port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Server {
	name: string;
	child: ChildProcess;
	/** The last lines of its output, for error messages. */
	output(): string;
}

const ANSI = new RegExp(String.fromCharCode(27) + String.fromCharCode(91) + '[0-9;]*m', 'g');

/** Spawns `node <args>` and resolves once a line of its output matches `ready`. */
export function startServer(
	name: string,
	args: string[],
	options: { ready: RegExp; env?: Record<string, string>; timeoutMs: number; cwd: string }
): Promise<Server> {
	const child = spawn(process.execPath, args, {
		cwd: options.cwd,
		env: { ...process.env, ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const server: Server = { name, child, output: () => lines.slice(-40).join('\n') };
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			fail(new Error(`${name} not ready within ${options.timeoutMs} ms`));
		}, options.timeoutMs);
		let settled = false;
		function fail(error: Error) {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			void stopServer(server);
			reject(new Error(`${error.message}\n--- ${name} output ---\n${server.output()}`));
		}
		function onData(chunk: Buffer) {
			for (const line of chunk.toString('utf8').replace(ANSI, '').split('\n')) {
				if (!line.trim()) continue;
				lines.push(line);
				// Unbounded logs would grow for as long as the bench runs.
				if (lines.length > 200) lines.shift();
				if (!settled && options.ready.test(line)) {
					settled = true;
					clearTimeout(timer);
					resolve(server);
				}
			}
		}
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.once('error', fail);
		child.once('exit', (code, signal) => fail(new Error(`${name} exited (${code ?? signal})`)));
	});
}

/** SIGTERM, then SIGKILL when the server has not exited within `graceMs`. */
export async function stopServer(server: Server, graceMs = 5_000): Promise<void> {
	const { child } = server;
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

function isFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

/**
 * The first base port whose whole set of offsets is free on loopback. Other engineers and
 * the e2e suite run the same servers on fixed ports in this tree, so a fixed choice could
 * collide; the ports are still chosen near a known base so a leftover process is easy to name.
 */
export async function freePortBlock(bases: number[], offsets: number[]): Promise<number> {
	for (const base of bases) {
		const free = await Promise.all(offsets.map((offset) => isFree(base + offset)));
		if (free.every(Boolean)) return base;
	}
	throw new Error(`no free loopback ports at bases ${bases.join(', ')} (+${offsets.join(', +')})`);
}
