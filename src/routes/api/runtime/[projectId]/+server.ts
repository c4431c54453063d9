// The local runtime's HTTP face. GET streams the runtime's events (status, log, errors) as
// server-sent events, starting with a snapshot; POST runs one operation.
import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { isAllowedCommand } from '$lib/preview/commands';
import type { RuntimeEvent } from '$lib/preview/runtime';
import { env } from '$env/dynamic/private';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import { errorMessage } from '$lib/shared/errors';
import { authorizeRuntime, backend, bearerToken } from '$lib/server/runtime/access';
import type { LocalProjectRuntime } from '$lib/server/runtime/projectRuntime';
import { getRuntime, RuntimeLimitError } from '$lib/server/runtime/registry';
import type { RequestHandler } from './$types';

const vFile = z.object({ path: z.string().min(1).max(1024), content: z.string() });
const vOperation = z.discriminatedUnion('op', [
	z.object({ op: z.literal('mount'), files: z.array(vFile).max(5_000) }),
	z.object({
		op: z.literal('apply'),
		changes: z
			.array(
				z.discriminatedUnion('kind', [
					vFile.extend({ kind: z.literal('write') }),
					z.object({ kind: z.literal('delete'), path: z.string().min(1).max(1024) })
				])
			)
			.max(5_000)
	}),
	z.object({ op: z.literal('install') }),
	z.object({
		op: z.literal('resume'),
		files: z
			.array(
				z.object({
					path: z.string().min(1).max(1024),
					hash: z.string().regex(/^[0-9a-f]{64}$/)
				})
			)
			.max(5_000)
	}),
	z.object({ op: z.literal('read'), paths: z.array(z.string().min(1).max(1024)).max(50) }),
	z.object({ op: z.literal('start') }),
	z.object({ op: z.literal('stop') }),
	z.object({
		op: z.literal('exec'),
		command: z.string().min(1).max(2_000),
		timeoutMs: z
			.number()
			.int()
			.positive()
			.max(15 * 60_000)
			.optional()
	})
]);

function runtimeFor(projectId: string) {
	try {
		return getRuntime(projectId);
	} catch (e) {
		if (e instanceof RuntimeLimitError) error(429, e.message);
		throw e;
	}
}

export const GET: RequestHandler = async ({ params, request }) => {
	await authorizeRuntime(request, params.projectId);
	const runtime = runtimeFor(params.projectId);
	const encoder = new TextEncoder();
	let unsubscribe = () => {};
	let heartbeat: ReturnType<typeof setInterval> | undefined;
	// A browser that goes away must stop counting as a watcher, or its runtime is never idle
	// and never makes room for others: clean up on disconnect, cancel, or a failed write.
	const close = () => {
		unsubscribe();
		clearInterval(heartbeat);
	};
	request.signal.addEventListener('abort', close);
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const write = (text: string) => {
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					close();
				}
			};
			const send = (event: RuntimeEvent | { type: 'snapshot'; status: unknown; log: string }) =>
				write(`data: ${JSON.stringify(event)}\n\n`);
			send({ type: 'snapshot', ...runtime.snapshot() });
			unsubscribe = runtime.on(send);
			// Comments keep proxies and the browser from timing the stream out, and find dead
			// connections.
			heartbeat = setInterval(() => write(': ping\n\n'), 15_000);
		},
		cancel: close
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream',
			// A compressing server or proxy would hold the events back until its buffer fills.
			// Vite's preview server gzips any text answer whose first write is over 1 KB unless
			// it already names an encoding; proxies honour no-transform.
			'content-encoding': 'identity',
			'cache-control': 'no-cache, no-transform',
			'x-accel-buffering': 'no',
			connection: 'keep-alive'
		}
	});
};

/**
 * Before the owner's preview starts: with Convex connected by a team token, its backend is the
 * project's dev deployment; otherwise (and for a share view) the local in-memory emulator.
 */
async function chooseBackend(runtime: LocalProjectRuntime, request: Request, projectId: string) {
	const runnerSecret = env.DEPLOY_RUNNER_SECRET;
	// Without the operator's runner secret the builder cannot hand credentials to runners.
	if (!runnerSecret) return runtime.useDevDeployment(null);
	try {
		const dev = await backend(bearerToken(request)!).action(
			api.convexConnection.previewBackendForRunner,
			{ projectId: projectId as Id<'projects'>, runnerSecret }
		);
		runtime.useDevDeployment(dev);
	} catch (e) {
		runtime.useDevDeployment(
			null,
			`your Convex dev deployment is not available (${errorMessage(e)}); the preview uses the in-memory emulator`
		);
	}
}

/** What a share view's preview may do: run the shared files, nothing the agent's tools do. */
const VIEWER_OPS = new Set(['mount', 'apply', 'install', 'resume', 'start', 'stop']);

export const POST: RequestHandler = async ({ params, request }) => {
	const access = await authorizeRuntime(request, params.projectId);
	const parsed = vOperation.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, `Bad runtime request: ${parsed.error.issues[0]?.message}`);
	const body = parsed.data;
	if (access === 'viewer' && !VIEWER_OPS.has(body.op)) {
		error(403, "A shared project's preview only runs its files.");
	}
	if (body.op === 'exec' && !isAllowedCommand(body.command)) {
		error(400, `The local runtime does not run "${body.command}".`);
	}
	const runtime = runtimeFor(params.projectId);
	try {
		// A resume of a preview that is already running keeps its backend: no Convex round trip
		// on the way back into a project.
		const startsProcesses = body.op === 'start' || (body.op === 'resume' && !runtime.running);
		if (startsProcesses && access === 'owner') {
			await chooseBackend(runtime, request, params.projectId);
		}
		switch (body.op) {
			case 'mount':
				return json({ ok: true, status: await runtime.mount(body.files) });
			case 'apply':
				await runtime.apply(body.changes);
				return json({ ok: true });
			case 'install':
				await runtime.install();
				return json({ ok: true });
			case 'read':
				return json({ ok: true, files: await runtime.readFiles(body.paths) });
			case 'resume':
				return json({ ok: true, url: await runtime.resume(body.files) });
			case 'start':
				return json({ ok: true, url: await runtime.start() });
			case 'stop':
				await runtime.stop();
				return json({ ok: true });
			case 'exec':
				return json({
					ok: true,
					result: await runtime.exec(body.command, { timeoutMs: body.timeoutMs })
				});
		}
	} catch (e) {
		// Failures of the generated app (a failed install, a dev server that will not start) are
		// answers, not server errors: the browser shows them and the log says more.
		return json({ ok: false, error: e instanceof Error ? e.message : String(e) }, { status: 422 });
	}
};
