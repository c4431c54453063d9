// CLI: tsx tests/harness/emulator/main.ts --convex-dir convex [--port 3210] [--site-port 3211]
//        [--env KEY=VALUE]... [--admin-key KEY] [--parent-pid PID] [--watch-stdin]
//   or: tsx tests/harness/emulator/main.ts --accept-pushes --admin-key KEY [...]
//        (a stand-in self-hosted backend that `npx convex deploy` pushes to)
//   or: tsx tests/harness/emulator/main.ts --standby
//        (loads, then reads its job from stdin: one JSON line { args, env }, args as above;
//        the builder's local runtime keeps one ready so an app's backend starts sooner)
// Environment: CONVEX_EMULATOR_ENV_JSON, more variables for the functions, as a JSON object.
// Prints the banner, then one machine-readable line:
//   EMULATOR_READY url=<url> siteUrl=<siteUrl>
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator';
import { watchParent, watchStdin } from './parent-watch';
// The standby protocol is the local runtime's (src/lib/server/runtime/standby.ts).
import { readJob } from '../../../src/lib/server/runtime/standbyJob.mjs';

interface Job {
	args?: string[];
	env?: Record<string, string>;
}

const job = process.argv.includes('--standby') ? ((await readJob()) as Job) : null;
const { values } = parseArgs({
	args: job?.args ?? process.argv.slice(2),
	options: {
		'convex-dir': { type: 'string' },
		'accept-pushes': { type: 'boolean', default: false },
		port: { type: 'string', default: '3210' },
		'site-port': { type: 'string', default: '3211' },
		env: { type: 'string', multiple: true, default: [] },
		'admin-key': { type: 'string' },
		'parent-pid': { type: 'string' },
		'watch-stdin': { type: 'boolean', default: false },
		quiet: { type: 'boolean', default: false }
	}
});

function port(value: string, flag: string): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number`);
	return n;
}

// Values that must not show in `ps` (an app's secrets) come as JSON in the environment.
const env: Record<string, string> =
	job?.env ?? JSON.parse(process.env.CONVEX_EMULATOR_ENV_JSON || '{}');
delete process.env.CONVEX_EMULATOR_ENV_JSON;
for (const pair of values.env) {
	const eq = pair.indexOf('=');
	if (eq <= 0) throw new Error(`--env expects KEY=VALUE, got ${pair}`);
	env[pair.slice(0, eq)] = pair.slice(eq + 1);
}

const emulator = await startEmulator({
	// Pushes may start from no functions; otherwise the functions folder defaults to convex/.
	convexDir:
		values['convex-dir'] !== undefined || !values['accept-pushes']
			? resolve(values['convex-dir'] ?? 'convex')
			: undefined,
	acceptPushes: values['accept-pushes'],
	port: port(values.port, '--port'),
	sitePort: port(values['site-port'], '--site-port'),
	env,
	quiet: values.quiet,
	adminKey: values['admin-key']
});
console.log(`EMULATOR_READY url=${emulator.url} siteUrl=${emulator.siteUrl}`);

let stopping = false;
async function stop(reason: string) {
	if (stopping) return;
	stopping = true;
	console.log(`[convex-emulator] stopping (${reason}); in-memory data is discarded`);
	// A hung close must not keep the ports.
	setTimeout(() => process.exit(0), 3_000).unref();
	await emulator.close().catch(() => undefined);
	process.exit(0);
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGHUP', () => void stop('SIGHUP'));
const parentPid = values['parent-pid'] === undefined ? undefined : Number(values['parent-pid']);
watchParent(() => void stop('parent process exited'), parentPid);
if (values['watch-stdin']) watchStdin(() => void stop('stdin closed'));
// Keep running: the servers hold the event loop open.
