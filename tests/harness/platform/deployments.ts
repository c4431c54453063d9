// The fake Platform's cloud deployments: each one the fake has issued (or accepted) a deploy
// key for is a push-accepting emulator process (tests/harness/emulator, --accept-pushes),
// started on its first request. It is reached through this server under /cloud/<name>, and
// at an origin of its own (`origin(name)`, a loopback port proxying to it, as a deployment
// has its own host): the Convex CLI resolves its API paths against the origin, so only that
// one takes pushes. Through either, the deployed app's clients, HTTP and WebSocket, reach it. The deployment's deploy keys are its admin keys: the proxy
// swaps one for the emulator's own, and passes any other credential through unchanged.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	createServer,
	request,
	type IncomingMessage,
	type Server,
	type ServerResponse
} from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';

const EMULATOR_MAIN = fileURLToPath(new URL('../emulator/main.ts', import.meta.url));
const CLOUD_PATH = /^\/cloud\/([a-z0-9-]+)(\/.*)?$/s;

interface Deployment {
	adminKey: string;
	process: ChildProcess;
	/** The emulator's own API origin, and where it serves HTTP actions (the site). */
	ready: Promise<{ url: string; siteUrl: string }>;
}

export class FakeDeployments {
	readonly #running = new Map<string, Deployment>();
	readonly #origins = new Map<string, Promise<{ url: string; server: Server }>>();

	/** `keysFor(name)`: the deploy keys that are the deployment's admin keys. */
	constructor(private readonly keysFor: (name: string) => string[]) {}

	/** The deployment name and path inside it of a /cloud/<name>/… URL path, or null. */
	static parse(pathWithQuery: string): { name: string; rest: string } | null {
		const match = CLOUD_PATH.exec(pathWithQuery);
		return match ? { name: match[1], rest: match[2] ?? '/' } : null;
	}

	/** The deployment's own origin, like https://<name>.convex.cloud: a port proxying to it. */
	async origin(name: string): Promise<string> {
		let origin = this.#origins.get(name);
		if (origin === undefined) {
			const server = createServer((req, res) => void this.proxy(req, res, name, req.url ?? '/'));
			server.on('upgrade', (req, socket, head) => {
				void this.upgrade(req, socket, head, name, req.url ?? '/');
			});
			origin = new Promise((resolve) => {
				server.listen(0, '127.0.0.1', () => {
					resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
				});
			});
			this.#origins.set(name, origin);
		}
		return (await origin).url;
	}

	async proxy(req: IncomingMessage, res: ServerResponse, name: string, rest: string) {
		// Checking a key is the one call that does not need the deployment running: one that
		// never ran has no variables. (Saving a connection checks keys; most never deploy.)
		if (
			!this.#running.has(name) &&
			req.method === 'GET' &&
			rest.split('?')[0] === '/api/v1/list_environment_variables'
		) {
			const key = /^Convex\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
			if (!this.keysFor(name).includes(key)) {
				return send(res, 401, { code: 'BadDeployKey', message: 'Invalid deploy key' });
			}
			return send(res, 200, { environmentVariables: {} });
		}
		const deployment = this.#start(name);
		if (deployment === null) {
			return send(res, 401, {
				code: 'BadDeployKey',
				message: `No deployment ${name} takes that key`
			});
		}
		const target = new URL((await deployment.ready).url);
		const upstream = request(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: rest,
				headers: this.#headers(req, name, deployment, target.host)
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			}
		);
		upstream.on('error', (error) => {
			if (!res.headersSent) send(res, 502, { code: 'BadGateway', message: String(error) });
			else res.destroy();
		});
		req.pipe(upstream);
	}

	/** Forwards a WebSocket upgrade (the deployed app's sync connection) to the deployment. */
	async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, name: string, rest: string) {
		const deployment = this.#start(name);
		if (deployment === null) return socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
		const target = new URL((await deployment.ready).url);
		const upstream = connect(Number(target.port), target.hostname, () => {
			const headers = this.#headers(req, name, deployment, target.host);
			const lines = [`${req.method} ${rest} HTTP/1.1`];
			for (const [key, value] of Object.entries(headers)) {
				for (const one of Array.isArray(value) ? value : [value]) {
					if (one !== undefined) lines.push(`${key}: ${one}`);
				}
			}
			upstream.write(lines.join('\r\n') + '\r\n\r\n');
			if (head.length > 0) upstream.write(head);
			upstream.pipe(socket);
			socket.pipe(upstream);
		});
		const end = () => {
			upstream.destroy();
			socket.destroy();
		};
		upstream.on('error', end);
		socket.on('error', end);
	}

	async close() {
		for (const origin of this.#origins.values()) {
			const { server } = await origin;
			server.close();
			server.closeAllConnections();
		}
		this.#origins.clear();
		await Promise.all(
			[...this.#running.values()].map(
				(d) =>
					new Promise<void>((resolve) => {
						if (d.process.exitCode !== null) return resolve();
						d.process.once('exit', () => resolve());
						d.process.kill('SIGTERM');
					})
			)
		);
		this.#running.clear();
	}

	#headers(req: IncomingMessage, name: string, deployment: Deployment, host: string) {
		const headers = { ...req.headers, host };
		const key = /^Convex\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
		if (key !== undefined && this.keysFor(name).includes(key)) {
			headers.authorization = `Convex ${deployment.adminKey}`;
		}
		return headers;
	}

	/** The running deployment, started now if needed; null when no key names it. */
	#start(name: string): Deployment | null {
		const running = this.#running.get(name);
		if (running && running.process.exitCode === null) return running;
		if (this.keysFor(name).length === 0) return null;
		const adminKey = randomBytes(16).toString('hex');
		const child = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				EMULATOR_MAIN,
				'--accept-pushes',
				'--admin-key',
				adminKey,
				'--port',
				'0',
				'--site-port',
				'0',
				'--quiet',
				'--parent-pid',
				String(process.pid)
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] }
		);
		const ready = new Promise<{ url: string; siteUrl: string }>((resolve, reject) => {
			let output: string | null = '';
			// Read all it prints (a full pipe would stall it); keep it only until it is ready.
			child.stdout!.on('data', (chunk: Buffer) => {
				if (output === null) return;
				output += chunk.toString('utf8');
				const match = /EMULATOR_READY url=(\S+) siteUrl=(\S+)/.exec(output);
				if (match) {
					output = null;
					resolve({ url: match[1], siteUrl: match[2] });
				}
			});
			child.once('exit', (code) =>
				reject(new Error(`The fake deployment ${name} exited (code ${code}):\n${output}`))
			);
		});
		ready.catch(() => undefined);
		const deployment = { adminKey, process: child, ready };
		this.#running.set(name, deployment);
		return deployment;
	}
}

function send(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}
