// The admin endpoints a self-hosted Convex backend serves to `npx convex deploy` and to the
// deployment API (`@convex-dev/platform`'s createDeploymentClient): the push protocol
// (get_config_hashes → start_push → wait_for_schema → finish_push) and the environment
// variables. With these the emulator stands in for a person's own deployment, so the
// builder's real deploy path (the Convex CLI with CONVEX_SELF_HOSTED_URL) runs against it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip } from 'node:zlib';
import { readBody, sendJson } from './http-util';
import { loadPush, PushRejected, type PushedApp, type PushRequest } from './pushed-app';

const unbrotli = promisify(brotliDecompress);
const ungzip = promisify(gunzip);

export interface DeployApiOptions {
	adminKey: string;
	/** The functions' environment, which list_environment_variables reads. */
	env: Record<string, string>;
	/** Sets (or, with null, removes) a variable the functions see. */
	setEnv(name: string, value: string | null): void;
	/** Makes a finished push the deployment's code. */
	activate(pushed: PushedApp): Promise<void>;
}

export type DeployApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const PUSH_PATHS = new Set([
	'/api/get_config_hashes',
	'/api/deploy2/start_push',
	'/api/deploy2/evaluate_push',
	'/api/deploy2/wait_for_schema',
	'/api/deploy2/finish_push',
	'/api/deploy2/report_push_completed',
	'/api/v1/list_environment_variables',
	'/api/v1/update_environment_variables'
]);

/** Answers the request if it is one of these endpoints (true), else leaves it (false). */
export function createDeployApi(opts: DeployApiOptions): DeployApiHandler {
	const root = mkdtempSync(join(tmpdir(), 'convex-emulator-pushes-'));
	process.once('exit', () => rmSync(root, { recursive: true, force: true }));
	// Pushes started but not finished, by the id start_push hands the CLI.
	const started = new Map<string, PushedApp>();
	let pushes = 0;

	return async (req, res) => {
		const path = new URL(req.url ?? '/', 'http://emulator').pathname;
		if (!PUSH_PATHS.has(path)) return false;
		const key = /^Convex\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
		if (key !== opts.adminKey) {
			sendJson(res, 401, {
				code: 'BadAdminKey',
				message: 'The provided admin key was invalid for this deployment.'
			});
			return true;
		}
		try {
			await answer(path, req, res);
		} catch (error) {
			if (error instanceof PushRejected) {
				sendJson(res, 400, { code: 'InvalidModules', message: error.message });
			} else {
				console.error('[convex-emulator] deploy request failed', error);
				sendJson(res, 500, { code: 'InternalServerError', message: String(error) });
			}
		}
		return true;
	};

	async function answer(path: string, req: IncomingMessage, res: ServerResponse) {
		switch (path) {
			case '/api/v1/list_environment_variables':
				return sendJson(res, 200, { environmentVariables: userVariables(opts.env) });
			case '/api/v1/update_environment_variables': {
				const { changes } = (await body(req)) as {
					changes: { name: string; value?: string | null }[];
				};
				if (!Array.isArray(changes) || !changes.every((c) => typeof c?.name === 'string')) {
					return sendJson(res, 400, {
						code: 'InvalidRequest',
						message: '`changes` must be a list of { name, value }.'
					});
				}
				for (const { name, value } of changes) opts.setEnv(name, value ?? null);
				return sendJson(res, 200, {});
			}
			case '/api/get_config_hashes':
				// Reporting no modules makes the CLI send every module, whole, in each push.
				return sendJson(res, 200, {
					config: { functions: 'convex/' },
					moduleHashes: [],
					nodeDependencies: [],
					udfServerVersion: null
				});
			case '/api/deploy2/evaluate_push':
				return sendJson(res, 200, { schemaChange: schemaChange('') });
			case '/api/deploy2/start_push': {
				const request = (await body(req)) as PushRequest & { dryRun?: boolean };
				const id = String(++pushes);
				const pushed = await loadPush(request, join(root, `push-${id}`));
				if (!request.dryRun) started.set(id, pushed);
				return sendJson(res, 200, {
					environmentVariables: userVariables(opts.env),
					externalDepsId: null,
					componentDefinitionPackages: {},
					appAuth: [],
					analysis: {},
					app: pushed.tree,
					schemaChange: schemaChange(id)
				});
			}
			case '/api/deploy2/wait_for_schema':
				// The new code starts with an empty database (see README), so nothing to validate.
				return sendJson(res, 200, { type: 'complete' });
			case '/api/deploy2/finish_push': {
				const request = (await body(req)) as {
					startPush: { schemaChange: { schemaIds: { push?: string } } };
					dryRun?: boolean;
				};
				const id = request.startPush.schemaChange.schemaIds.push ?? '';
				const pushed = started.get(id);
				if (pushed === undefined) {
					return sendJson(res, 400, {
						code: 'PushNotStarted',
						message: 'finish_push names a push this deployment did not start.'
					});
				}
				started.clear();
				if (!request.dryRun) await opts.activate(pushed);
				return sendJson(res, 200, {
					authDiff: { added: [], removed: [] },
					definitionDiffs: {},
					componentDiffs: {}
				});
			}
			case '/api/deploy2/report_push_completed':
				return sendJson(res, 200, {});
		}
	}
}

/** The variables a person set; a deployment's own URLs are built in, not listed. */
function userVariables(env: Record<string, string>): Record<string, string> {
	const { CONVEX_CLOUD_URL: _cloud, CONVEX_SITE_URL: _site, ...rest } = env;
	return rest;
}

function schemaChange(pushId: string) {
	return { allocatedComponentIds: {}, schemaIds: { push: pushId } };
}

async function body(req: IncomingMessage): Promise<unknown> {
	let bytes = await readBody(req);
	const encoding = req.headers['content-encoding'];
	if (encoding === 'br') bytes = await unbrotli(bytes);
	else if (encoding === 'gzip') bytes = await ungzip(bytes);
	return JSON.parse(bytes.toString('utf8'));
}
