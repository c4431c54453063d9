// CLI: node --import tsx tests/harness/llm/main.ts [--port 3320] [--api-key KEY] [--model ID]...
// Prints one machine-readable line once listening:
//   FAKE_LLM_READY url=http://127.0.0.1:3320/v1
// Binds 127.0.0.1 only. Stops on SIGTERM/SIGINT/SIGHUP and when its parent process dies.
import { parseArgs } from 'node:util';
import { startFakeLlm } from './server';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '3320' },
		'api-key': { type: 'string' },
		model: { type: 'string', multiple: true }
	}
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error(`--port must be a port number, got ${values.port}`);
	process.exit(2);
}

const llm = await startFakeLlm({
	port,
	apiKey: values['api-key'],
	models: values.model && values.model.length > 0 ? values.model : undefined
});
console.log(`FAKE_LLM_READY url=${llm.url}`);

let stopping = false;
async function stop(reason: string) {
	if (stopping) return;
	stopping = true;
	console.log(`[fake-llm] stopping (${reason})`);
	// A hung close must not keep the port.
	setTimeout(() => process.exit(0), 2_000).unref();
	await llm.close().catch(() => undefined);
	process.exit(0);
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGHUP', () => void stop('SIGHUP'));

// A test runner killed with SIGKILL cannot stop us, so watch for being orphaned: the kernel
// reparents us (ppid becomes 1 or a subreaper's pid) when the parent dies.
const parentAtStart = process.ppid;
const watch = setInterval(() => {
	if (process.ppid === 1 || process.ppid !== parentAtStart) void stop('parent process exited');
}, 1_000);
// Only the server should keep the process alive.
watch.unref();
