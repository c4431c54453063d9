// A fake of the Convex Platform (management) API endpoints the builder uses, for tests: token
// details, create project, create deployment, create deploy key, delete project; the two calls the Convex CLI
// makes to find a deploy key's deployment (/api/deployment/…_for_key); and, under
// /cloud/<name>, the deployments themselves (see deployments.ts). Bodies are typed by
// @convex-dev/platform's OpenAPI types, so a change there that breaks our use shows up as a
// type error here too.
// Binds 127.0.0.1; `failNext` makes the next call to an endpoint answer an error status.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@convex-dev/platform/managementApi';
import { FakeDeployments } from './deployments';

type Schemas = components['schemas'];

export interface FakePlatform {
	/** What CONVEX_PROVISION_HOST should be (the API itself is under /v1). */
	url: string;
	/** The one team token it accepts, and its team. */
	token: string;
	teamId: number;
	/** Every request, in order: method, path, and the Authorization header it carried. */
	requests: { method: string; path: string; authorization: string | undefined; body: unknown }[];
	/** The projects that exist: created and not deleted. */
	projects: Schemas['PlatformCreateProjectResponse'][];
	deployKeys: string[];
	/** What CONVEX_CLOUD_URL_PATTERN should be: its deployments live here, under /cloud. */
	cloudUrlPattern: string;
	/** Makes the deployment the key names take it (keys it issued are taken already). */
	acceptDeployKey(key: string): void;
	failNext(path: RegExp, status: number, message?: string): void;
	close(): Promise<void>;
}

export async function startFakePlatform(port = 0): Promise<FakePlatform> {
	const token = 'fake-team-token-7f3a9c';
	const teamId = 42;
	const failures: { path: RegExp; status: number; message: string }[] = [];
	let nextId = 1;

	const accepted = new Set<string>();
	const fake: Omit<FakePlatform, 'url' | 'cloudUrlPattern' | 'close'> = {
		token,
		teamId,
		requests: [],
		projects: [],
		deployKeys: [],
		acceptDeployKey(key) {
			accepted.add(key);
		},
		failNext(path, status, message = 'scripted failure') {
			failures.push({ path, status, message });
		}
	};

	const keysFor = (name: string) =>
		[...fake.deployKeys, ...accepted].filter((key) => key.includes(`:${name}|`));
	const deployments = new FakeDeployments(keysFor);

	const server = createServer(async (req, res) => {
		const path = new URL(req.url ?? '/', 'http://fake').pathname;
		const cloud = FakeDeployments.parse(req.url ?? '/');
		// The deployment answers its own failures; the body is its to read.
		if (cloud && !failures.some((f) => f.path.test(path))) {
			const authorization = req.headers.authorization;
			fake.requests.push({ method: req.method ?? 'GET', path, authorization, body: null });
			return await deployments.proxy(req, res, cloud.name, cloud.rest);
		}
		const body = await readJson(req);
		fake.requests.push({
			method: req.method ?? 'GET',
			path,
			authorization: req.headers.authorization,
			body
		});
		// Tests in another process script failures here (see failNextOver).
		if (req.method === 'POST' && path === '/_control/fail-next') {
			const { path: pattern, status } = body as { path: string; status: number };
			fake.failNext(new RegExp(pattern), status);
			return send(res, 200, { ok: true });
		}
		const failure = failures.findIndex((f) => f.path.test(path));
		if (failure >= 0) {
			const { status, message } = failures.splice(failure, 1)[0];
			return send(res, status, { code: `Status${status}`, message });
		}
		// The Convex CLI, given CONVEX_DEPLOY_KEY, asks where that key's deployment is.
		const forKey = /^\/api\/deployment\/(url|team_and_project)_for_key$/.exec(path);
		if (req.method === 'POST' && forKey) {
			const { deployKey } = (body ?? {}) as { deployKey?: string };
			const name = /^[a-z]+:([a-z0-9-]+)\|/.exec(deployKey ?? '')?.[1];
			if (!name || !keysFor(name).includes(deployKey!)) {
				return send(res, 401, { code: 'BadDeployKey', message: 'Invalid deploy key' });
			}
			if (forKey[1] === 'url') return send(res, 200, await deployments.origin(name));
			const project = fake.projects.find((p) => p.deploymentName === name);
			return send(res, 200, { team: 'fake-team', project: project?.slug ?? name });
		}
		if (req.headers.authorization !== `Bearer ${token}`) {
			return send(res, 401, { code: 'Unauthenticated', message: 'Invalid access token' });
		}
		if (req.method === 'GET' && path === '/v1/token_details') {
			const details: Schemas['PlatformTokenDetailsResponse'] = {
				type: 'teamToken',
				teamId,
				id: 1,
				name: 'fake token',
				createTime: Date.now()
			};
			return send(res, 200, details);
		}
		const create = /^\/v1\/teams\/(\d+)\/create_project$/.exec(path);
		if (req.method === 'POST' && create) {
			if (Number(create[1]) !== teamId) return send(res, 404, { message: 'No such team' });
			const args = body as Schemas['PlatformCreateProjectArgs'];
			const id = nextId++;
			const deploymentName = `fake-deployment-${id}`;
			const project: Schemas['PlatformCreateProjectResponse'] = {
				id,
				projectId: id,
				slug: String(args.projectName)
					.toLowerCase()
					.replace(/[^a-z0-9]+/g, '-'),
				deploymentName,
				deploymentUrl: await deployments.origin(deploymentName)
			};
			fake.projects.push(project);
			return send(res, 200, project);
		}
		const createDeployment = /^\/v1\/projects\/(\d+)\/create_deployment$/.exec(path);
		if (req.method === 'POST' && createDeployment) {
			const projectId = Number(createDeployment[1]);
			if (!fake.projects.some((p) => p.id === projectId)) {
				return send(res, 404, { code: 'ProjectNotFound', message: 'No such project' });
			}
			const args = body as Schemas['PlatformCreateDeploymentArgs'];
			const id = nextId++;
			const name = `fake-${args.type}-deployment-${id}`;
			const deployment: Schemas['PlatformDeploymentResponse'] = {
				kind: 'cloud',
				id,
				name,
				projectId,
				deploymentType: args.type,
				deploymentUrl: await deployments.origin(name),
				class: 's16',
				createTime: Date.now(),
				isDefault: args.isDefault ?? !args.reference,
				reference: args.reference ?? `${args.type}-${id}`,
				region: 'aws-us-east-1'
			};
			return send(res, 200, deployment);
		}
		const remove = /^\/v1\/projects\/(\d+)\/delete$/.exec(path);
		if (req.method === 'POST' && remove) {
			const at = fake.projects.findIndex((p) => p.id === Number(remove[1]));
			if (at < 0) return send(res, 404, { code: 'ProjectNotFound', message: 'No such project' });
			fake.projects.splice(at, 1);
			res.writeHead(200).end();
			return;
		}
		const key = /^\/v1\/deployments\/([a-z0-9-]+)\/create_deploy_key$/.exec(path);
		if (req.method === 'POST' && key) {
			const type = /^fake-(dev)-deployment-/.exec(key[1])?.[1] ?? 'prod';
			const deployKey = `${type}:${key[1]}|fake-secret-${nextId++}-e1b2c3d4`;
			fake.deployKeys.push(deployKey);
			const answer: Schemas['PlatformCreateDeployKeyResponse'] = { deployKey };
			return send(res, 200, answer);
		}
		return send(res, 404, { message: `The fake Platform API has no ${req.method} ${path}` });
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	server.on('upgrade', (req, socket, head) => {
		const cloud = FakeDeployments.parse(req.url ?? '/');
		if (cloud === null) return socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
		void deployments.upgrade(req, socket, head, cloud.name, cloud.rest);
	});
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		...fake,
		url,
		cloudUrlPattern: `${url}/cloud/{name}`,
		close: async () => {
			await deployments.close();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		}
	};
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	try {
		return text ? JSON.parse(text) : null;
	} catch {
		return text;
	}
}

function send(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

/** Scripts the fake at `url`, running in another process, to fail its next call to `path`. */
export async function failNextOver(url: string, path: RegExp, status: number) {
	const response = await fetch(`${url}/_control/fail-next`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ path: path.source, status })
	});
	if (!response.ok)
		throw new Error(`The fake Platform API did not take the script (${response.status}).`);
}
