#!/usr/bin/env node
// `npm run dev`: starts a Convex backend, then the builder against it.
// First choice is Convex's own tooling (`npx convex dev`: your configured deployment, or a
// local backend). When that cannot start (no network, no binary), it says so and falls
// back to the in-memory Convex emulator, which the UI marks with a banner.
// `npm run dev:offline` goes straight to the emulator.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';

const offline = process.argv.includes('--offline');
const CONVEX_START_TIMEOUT_MS = 90_000;
const children = [];

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

const backend = offline ? null : await startConvexDev();
if (backend) {
	await ensureAuthKeys();
	ensureSecretsKey();
	startVite({ PUBLIC_CONVEX_URL: backend.url, DEPLOY_RUNNER_SECRET: ensureRunnerSecret() });
} else {
	// The emulator's data dies with it, so fresh secrets per run lose nothing.
	const runnerSecret = randomBytes(24).toString('hex');
	const emulator = await startEmulator(runnerSecret);
	startVite({
		PUBLIC_CONVEX_URL: emulator.url,
		PUBLIC_CONVEX_EMULATOR: '1',
		DEPLOY_RUNNER_SECRET: runnerSecret
	});
}

/** Runs `npx convex dev` and waits until it has pushed functions and written the URL. */
async function startConvexDev() {
	const env = { ...process.env };
	// Without a configured deployment, ask for a local backend without logging in.
	if (!readEnvLocal().CONVEX_DEPLOYMENT) env.CONVEX_AGENT_MODE = 'anonymous';
	console.log('Starting Convex (npx convex dev)…');
	const child = spawn('npx', ['convex', 'dev', '--typecheck', 'disable'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.push(child);
	let output = '';
	const collect = (chunk) => {
		output += chunk;
		process.stdout.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);

	const ready = await new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), CONVEX_START_TIMEOUT_MS);
		child.on('exit', () => {
			clearTimeout(timer);
			resolve(false);
		});
		const poll = setInterval(() => {
			if (/Convex functions ready/i.test(output) && convexUrlFromEnvLocal()) {
				clearInterval(poll);
				clearTimeout(timer);
				resolve(true);
			}
		}, 250);
		child.on('exit', () => clearInterval(poll));
	});
	if (ready) return { url: convexUrlFromEnvLocal() };

	child.kill('SIGTERM');
	// The CLI marks its own failure lines with ✖; they say more than a stack trace.
	const lines = output.trim().split('\n').filter(Boolean);
	const marked = lines.filter((line) => line.includes('✖'));
	const reason = (marked.length > 0 ? marked : lines.slice(-3)).join('\n  ');
	console.warn(
		[
			'',
			"Convex's local backend could not start" + (reason ? `:\n  ${reason}` : '.'),
			'Falling back to the in-memory Convex emulator. Data lives in memory and is lost when',
			'this process stops. Connect a real deployment (npx convex dev) to keep your work.',
			''
		].join('\n')
	);
	return null;
}

/** Convex Auth signs its own JWTs: a real deployment needs a key pair once. */
async function ensureAuthKeys() {
	const has = spawnSync('npx', ['convex', 'env', 'get', 'JWT_PRIVATE_KEY'], { encoding: 'utf8' });
	if (has.status === 0 && has.stdout.trim()) return;
	const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
	const pem = (await exportPKCS8(privateKey)).trimEnd().replace(/\n/g, ' ');
	const jwks = JSON.stringify({ keys: [{ use: 'sig', ...(await exportJWK(publicKey)) }] });
	spawnSync('npx', ['convex', 'env', 'set', '--', 'JWT_PRIVATE_KEY', pem], { stdio: 'inherit' });
	spawnSync('npx', ['convex', 'env', 'set', 'JWKS', jwks], { stdio: 'inherit' });
}

/**
 * Model keys are sealed with SECRETS_KEY (convex/secrets.ts): a real deployment gets one random
 * key once. Replacing it later makes saved keys unreadable, so an existing one is kept.
 */
function ensureSecretsKey() {
	// Only a listing that worked and lacks the key may lead to a new one: a failed look-up must
	// never replace a key that exists.
	const listed = spawnSync('npx', ['convex', 'env', 'list'], { encoding: 'utf8' });
	if (listed.status !== 0) {
		console.warn("Could not list the deployment's environment; SECRETS_KEY left as it is.");
		return;
	}
	if (/^SECRETS_KEY=/m.test(listed.stdout)) return;
	const key = randomBytes(32).toString('base64');
	spawnSync('npx', ['convex', 'env', 'set', 'SECRETS_KEY', key], { stdio: 'inherit' });
}

/**
 * The deploy runner (this builder's server) proves itself to the backend with
 * DEPLOY_RUNNER_SECRET (convex/model/runnerSecret.ts): both sides need the same value. An
 * existing one is kept; returns it (or null when it cannot be read, and deploys then say so).
 */
function ensureRunnerSecret() {
	if (process.env.DEPLOY_RUNNER_SECRET) return process.env.DEPLOY_RUNNER_SECRET;
	const read = spawnSync('npx', ['convex', 'env', 'get', 'DEPLOY_RUNNER_SECRET'], {
		encoding: 'utf8'
	});
	if (read.status === 0 && read.stdout.trim()) return read.stdout.trim();
	const secret = randomBytes(24).toString('hex');
	const set = spawnSync('npx', ['convex', 'env', 'set', 'DEPLOY_RUNNER_SECRET', secret], {
		stdio: 'inherit'
	});
	return set.status === 0 ? secret : null;
}

function startEmulator(runnerSecret) {
	const child = spawn(
		'npx',
		[
			'tsx',
			'tests/harness/emulator/main.ts',
			'--convex-dir',
			'convex',
			'--port',
			'3210',
			'--site-port',
			'3211',
			'--env',
			`SECRETS_KEY=${randomBytes(32).toString('base64')}`,
			'--env',
			`DEPLOY_RUNNER_SECRET=${runnerSecret}`
		],
		{ stdio: ['pipe', 'pipe', 'inherit'] }
	);
	children.push(child);
	return new Promise((resolve, reject) => {
		let buffered = '';
		child.stdout.on('data', (chunk) => {
			process.stdout.write(chunk);
			buffered += chunk;
			const match = buffered.match(/EMULATOR_READY url=(\S+) siteUrl=(\S+)/);
			if (match) resolve({ url: match[1], siteUrl: match[2] });
		});
		child.on('exit', (code) => reject(new Error(`The Convex emulator exited (${code}).`)));
	});
}

function startVite(extraEnv) {
	// On your own machine previews run in the local runtime unless you say otherwise:
	// WebContainer needs StackBlitz's servers, which an offline machine cannot reach.
	const localRuntime = process.env.LOCAL_RUNTIME ?? '1';
	console.log(
		localRuntime === '1'
			? 'Local runtime: on (previews run on this machine; LOCAL_RUNTIME=0 turns it off).'
			: 'Local runtime: off (previews use WebContainer).'
	);
	extraEnv = {
		...Object.fromEntries(Object.entries(extraEnv).filter(([, value]) => value != null)),
		LOCAL_RUNTIME: localRuntime
	};
	const args = ['vite', 'dev', ...process.argv.slice(2).filter((a) => a !== '--offline')];
	const child = spawn('npx', args, { env: { ...process.env, ...extraEnv }, stdio: 'inherit' });
	children.push(child);
	child.on('exit', (code) => {
		stopAll();
		process.exit(code ?? 0);
	});
}

/** The CLI names the URL variable after the framework it detects. */
function convexUrlFromEnvLocal() {
	const env = readEnvLocal();
	return env.PUBLIC_CONVEX_URL ?? env.VITE_CONVEX_URL ?? env.CONVEX_URL ?? null;
}

function readEnvLocal() {
	if (!existsSync('.env.local')) return {};
	return Object.fromEntries(
		readFileSync('.env.local', 'utf8')
			.split('\n')
			.map((line) => line.match(/^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*(#.*)?$/))
			.filter(Boolean)
			.map((m) => [m[1], m[2].replace(/^["']|["']$/g, '')])
	);
}

function stopAll() {
	for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
