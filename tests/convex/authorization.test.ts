// The authorization matrix: every public Convex function, called by a stranger against someone
// else's data, is refused and writes nothing. The functions are discovered from the modules
// themselves, so a function added later is covered (or the suite asks for it to be classified)
// without anyone remembering to edit this file.
import { zipSync } from 'fflate';
import { decodeJwt } from 'jose';
import { makeFunctionReference } from 'convex/server';
import { jsonToConvex, type ValidatorJSON, type Value } from 'convex/values';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { sha256Hex } from '../../convex/model/blobs';
import { appErrorOf } from '../../src/lib/shared/errors';
import { startFakePlatform, type FakePlatform } from '../harness/platform/server';
import { setup, signedIn, type Test, snapshotTables } from './setup';

// Convex Auth logs every `auth:store` call at INFO; the matrix signs people in and out.
process.env.AUTH_LOG_LEVEL = 'WARN';

type Kind = 'query' | 'mutation' | 'action';
type Caller = Pick<Test, 'query' | 'mutation' | 'action'>;
type Args = Record<string, Value>;

interface PublicFunction {
	/** Convex function name, e.g. `files:save` or `agent/tools:run`. */
	name: string;
	kind: Kind;
	args: ValidatorJSON;
}

// ---------------------------------------------------------------------------------------------
// Discovery

// convex.config.ts is excluded in the glob itself: importing it outside Convex throws.
const modules: Record<string, Record<string, unknown>> = import.meta.glob(
	['../../convex/**/*.ts', '!../../convex/convex.config.ts'],
	{ eager: true }
);

// Not Convex modules (schema, config, generated code), or helpers with no registered functions
// whose import would only cost time (the template bundle is megabytes of text).
const NOT_FUNCTION_MODULES = [
	/\/_generated\//,
	/\/schema\.ts$/,
	/\.config\.ts$/,
	/\/convex\/model\//,
	/\/convex\/templates\//
];

interface RegisteredFunction {
	isQuery?: boolean;
	isMutation?: boolean;
	isAction?: boolean;
	isPublic?: boolean;
	isInternal?: boolean;
	exportArgs(): string;
}

function isRegistered(value: unknown): value is RegisteredFunction {
	if (typeof value !== 'function' && typeof value !== 'object') return false;
	if (value === null) return false;
	const f = value as RegisteredFunction;
	return (
		(f.isQuery === true || f.isMutation === true || f.isAction === true) &&
		typeof f.exportArgs === 'function'
	);
}

function discoverPublicFunctions(): PublicFunction[] {
	const found: PublicFunction[] = [];
	for (const [file, exports] of Object.entries(modules)) {
		if (NOT_FUNCTION_MODULES.some((re) => re.test(file))) continue;
		const modulePath = file.replace(/^.*?\/convex\//, '').replace(/\.ts$/, '');
		for (const [exportName, value] of Object.entries(exports)) {
			if (!isRegistered(value) || value.isPublic !== true) continue;
			found.push({
				name: `${modulePath}:${exportName}`,
				kind: value.isQuery ? 'query' : value.isMutation ? 'mutation' : 'action',
				args: JSON.parse(value.exportArgs()) as ValidatorJSON
			});
		}
	}
	return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Tables whose ids appear anywhere in a validator. */
function idTables(v: ValidatorJSON, into = new Set<string>()): Set<string> {
	switch (v.type) {
		case 'id':
			into.add(v.tableName);
			break;
		case 'array':
			idTables(v.value, into);
			break;
		case 'union':
			for (const branch of v.value) idTables(branch, into);
			break;
		case 'object':
			for (const field of Object.values(v.value)) idTables(field.fieldType, into);
			break;
		case 'record':
			idTables(v.keys as ValidatorJSON, into);
			idTables(v.values.fieldType, into);
			break;
	}
	return into;
}

const publicFunctions = discoverPublicFunctions();

// ---------------------------------------------------------------------------------------------
// The owner's data, and arguments built from it

interface Fixture {
	t: Test;
	owner: Awaited<ReturnType<typeof signedIn>>;
	stranger: Awaited<ReturnType<typeof signedIn>>;
	ownerProjectId: Id<'projects'>;
	strangerProjectId: Id<'projects'>;
	/** Table name -> an id of one of the owner's documents in it. */
	ownerIds: Map<string, string>;
	/** An existing file of the owner's, its current hash, and a free path next to it. */
	path: string;
	hash: string;
	freePath: string;
}

const OWNER_PATH = 'src/app.ts';

async function fixture(): Promise<Fixture> {
	const t = await setup();
	const owner = await signedIn(t, 'owner@example.com');
	const stranger = await signedIn(t, 'stranger@example.com');
	const ownerProjectId = await owner.as.mutation(api.projects.create, { name: 'Owner app' });
	// Two checkpoints, so that restoring the first one has work to do.
	const first = await owner.as.mutation(api.files.save, {
		projectId: ownerProjectId,
		edits: [{ kind: 'write', path: OWNER_PATH, content: 'export const v = 1;\n', baseHash: null }]
	});
	await owner.as.mutation(api.files.save, {
		projectId: ownerProjectId,
		edits: [
			{
				kind: 'write',
				path: OWNER_PATH,
				content: 'export const v = 2;\n',
				baseHash: await sha256Hex('export const v = 1;\n')
			},
			{ kind: 'write', path: 'README.md', content: '# Owner\n', baseHash: null }
		]
	});
	const strangerProjectId = await stranger.as.mutation(api.projects.create, { name: 'Mine' });
	await stranger.as.mutation(api.files.save, {
		projectId: strangerProjectId,
		edits: [{ kind: 'write', path: 'stranger.txt', content: 'not yours', baseHash: null }]
	});

	// A build session with one finished run, so session- and run-scoped functions have targets.
	const sessionId = await owner.as.mutation(api.sessions.create, { projectId: ownerProjectId });
	await t.run(async (ctx) => {
		const runId = await ctx.db.insert('runs', {
			sessionId,
			projectId: ownerProjectId,
			ownerId: owner.userId,
			status: 'succeeded',
			provider: 'openai',
			modelId: 'gpt-test',
			promptMessageId: 'message',
			steps: 1,
			usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
			cancelRequested: false
		});
		// A deployment with a log line, for the deploy functions.
		const deploymentId = await ctx.db.insert('deployments', {
			projectId: ownerProjectId,
			ownerId: owner.userId,
			target: 'offline',
			status: 'checking',
			checkpointSeq: 1,
			logChunks: 1,
			// Old enough to count as abandoned, so starting another deploy works for the owner.
			updatedAt: Date.now() - 60 * 60_000
		});
		await ctx.db.insert('deploymentLogs', { deploymentId, seq: 0, text: 'checking\n' });
		// A runtime tool call of that run, for the workbench's claim and submit.
		await ctx.db.insert('runtimeCalls', {
			runId,
			projectId: ownerProjectId,
			ownerId: owner.userId,
			messageId: 'message',
			toolCallId: 'call-1',
			toolName: 'read_preview_logs',
			input: {},
			status: 'pending',
			deadline: Date.now() + 30_000
		});
	});

	const ids = await t.run(async (ctx) => {
		const file = await ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) =>
				q.eq('projectId', ownerProjectId).eq('path', OWNER_PATH)
			)
			.unique();
		const change = await ctx.db
			.query('fileChanges')
			.withIndex('by_checkpointId', (q) => q.eq('checkpointId', first.checkpointId!))
			.first();
		const blob = await ctx.db
			.query('blobs')
			.withIndex('by_hash', (q) => q.eq('hash', file!.hash))
			.unique();
		return {
			users: owner.userId,
			projects: ownerProjectId,
			checkpoints: first.checkpointId!,
			files: file!._id,
			fileChanges: change!._id,
			blobs: blob!._id
		};
	});
	return {
		t,
		owner,
		stranger,
		ownerProjectId,
		strangerProjectId,
		ownerIds: new Map(Object.entries(ids)),
		path: OWNER_PATH,
		hash: await sha256Hex('export const v = 2;\n'),
		freePath: 'src/renamed.ts'
	};
}

/**
 * For tables this file has not heard of yet: any document that belongs to the owner, by the
 * conventional field names. If there is none, the fixture must learn to create one.
 */
async function resolveIds(fx: Fixture, tables: Set<string>) {
	for (const table of tables) {
		if (fx.ownerIds.has(table)) continue;
		const id = await fx.t.run(async (ctx) => {
			// The table name comes from a validator, so it is not a literal the types know.
			const rows = await ctx.db.query(table as 'projects').collect();
			const mine = (rows as unknown as Record<string, unknown>[]).find(
				(row) =>
					row.projectId === fx.ownerProjectId ||
					row.ownerId === fx.owner.userId ||
					row.userId === fx.owner.userId
			);
			return mine ? String(mine._id) : null;
		});
		if (!id) {
			throw new Error(
				`The authorization fixture has no owner's document in table "${table}". ` +
					'Extend fixture() in tests/convex/authorization.test.ts to create one.'
			);
		}
		fx.ownerIds.set(table, id);
	}
}

/** A plausible string for a field, by its name: real hashes and paths of the owner's project. */
function stringFor(field: string, fx: Fixture): string {
	if (/hash/i.test(field)) return fx.hash;
	if (field === 'provider') return 'openai';
	if (field === 'to' || /^new|target/i.test(field)) return fx.freePath;
	if (/path|from|file/i.test(field)) return fx.path;
	if (/name|title/i.test(field)) return 'Renamed by the matrix';
	if (/content|text|code|source/i.test(field)) return 'export const v = 3;\n';
	return 'matrix';
}

/**
 * Arguments that would succeed for the owner: ids of the owner's documents, the first branch of
 * each union, one element per array. `withOptional` also fills optional fields.
 */
function buildArg(v: ValidatorJSON, field: string, fx: Fixture, withOptional: boolean): Value {
	switch (v.type) {
		case 'id':
			return fx.ownerIds.get(v.tableName)!;
		case 'string':
			return stringFor(field, fx);
		case 'number':
			return 1;
		case 'bigint':
			return 1n;
		case 'boolean':
			return false;
		case 'null':
			return null;
		case 'bytes':
			return new ArrayBuffer(1);
		case 'any':
			return {};
		case 'literal':
			return jsonToConvex(v.value);
		case 'array':
			return [buildArg(v.value, field, fx, withOptional)];
		case 'record':
			return {};
		case 'union':
			// Pagination cursors are opaque: the only one a caller can make up is "start" (null).
			if (/cursor$/i.test(field)) return null;
			return buildArg(v.value[0], field, fx, withOptional);
		case 'object': {
			const out: Record<string, Value> = {};
			for (const [key, { fieldType, optional }] of Object.entries(v.value)) {
				if (optional && !withOptional) continue;
				out[key] = buildArg(fieldType, key, fx, withOptional);
			}
			return out;
		}
		default:
			throw new Error(`No argument builder for validator ${JSON.stringify(v)}`);
	}
}

function hasOptionalField(v: ValidatorJSON): boolean {
	if (v.type === 'object') {
		return Object.values(v.value).some((f) => f.optional || hasOptionalField(f.fieldType));
	}
	if (v.type === 'array') return hasOptionalField(v.value);
	if (v.type === 'union') return v.value.length > 0 && hasOptionalField(v.value[0]);
	return false;
}

/** Replaces every project id in `args` with the stranger's own (other ids stay the owner's). */
function withStrangerProject(v: ValidatorJSON, value: Value, fx: Fixture): Value {
	if (v.type === 'id' && v.tableName === 'projects') return fx.strangerProjectId;
	if (v.type === 'array' && Array.isArray(value)) {
		return value.map((item) => withStrangerProject(v.value, item, fx));
	}
	if (v.type === 'union') return withStrangerProject(v.value[0], value, fx);
	if (v.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
		const out: Record<string, Value> = {};
		for (const [key, item] of Object.entries(value as Record<string, Value>)) {
			const field = v.value[key];
			out[key] = field ? withStrangerProject(field.fieldType, item, fx) : item;
		}
		return out;
	}
	return value;
}

// ---------------------------------------------------------------------------------------------
// Calling and observing

function call(caller: Caller, f: { name: string; kind: Kind }, args: Args): Promise<unknown> {
	// The reference is built from the name, exactly as a client would send it.
	if (f.kind === 'query') return caller.query(makeFunctionReference<'query'>(f.name), args);
	if (f.kind === 'mutation') {
		return caller.mutation(makeFunctionReference<'mutation'>(f.name), args);
	}
	return caller.action(makeFunctionReference<'action'>(f.name), args);
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: string | null; error: unknown };

async function outcome(promise: Promise<unknown>): Promise<Outcome> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, code: appErrorOf(error)?.code ?? null, error };
	}
}

function describeOutcome(o: Outcome): string {
	if (o.ok) return `succeeded with ${JSON.stringify(o.value)?.slice(0, 200)}`;
	return `failed with ${o.code ?? 'a non-app error'}: ${String(o.error).slice(0, 300)}`;
}

/** The owner's rows only (other people may legitimately write their own). */
async function ownerData(fx: Fixture) {
	const all = await snapshotTables(fx.t);
	const mine = (row: unknown) => {
		const r = row as Record<string, unknown>;
		return (
			r._id === fx.owner.userId ||
			r._id === fx.ownerProjectId ||
			r.projectId === fx.ownerProjectId ||
			r.ownerId === fx.owner.userId ||
			r.userId === fx.owner.userId
		);
	};
	const out: Record<string, unknown[]> = {};
	for (const [table, rows] of Object.entries(all)) {
		// Blobs are shared by content, so every one of them counts as the owner's.
		out[table] = table === 'blobs' ? rows : rows.filter(mine);
	}
	return out;
}

const REFUSED = ['NOT_FOUND', 'FORBIDDEN'];

/**
 * Public functions the matrix can call and expect to succeed for the owner. A function whose
 * owner call cannot succeed with generated arguments (e.g. it needs a network) goes here with
 * the reason; the stranger must still be refused.
 */
const OWNER_CALL_MAY_FAIL: Record<string, string> = {
	'deployments:advance':
		"the matrix's arguments name the first status, queued, which no deployment moves to",
	'appEnv:set': "the matrix's name argument, a sentence, is not a variable name",
	'appEnv:forRunner':
		'it also needs the operator’s DEPLOY_RUNNER_SECRET, which the matrix does not have',
	'convexConnection:credentialsForRunner':
		'it also needs the operator’s DEPLOY_RUNNER_SECRET, which the matrix does not have',
	'convexConnection:previewBackendForRunner':
		'it also needs the operator’s DEPLOY_RUNNER_SECRET, which the matrix does not have',
	'convexConnection:provisionProject':
		'the owner has no Convex team connection in the fixture, so it answers NOT_CONFIGURED'
};

// ---------------------------------------------------------------------------------------------
// Functions that take no id: what a stranger (and a signed-out caller) sees instead

interface UnscopedCheck {
	/** Why this function cannot reach someone else's data. */
	why: string;
	check(fx: Fixture): Promise<void>;
}

const UNSCOPED_FUNCTIONS: Record<string, UnscopedCheck> = {
	'projects:create': {
		why: 'creates a project owned by the caller',
		async check(fx) {
			const before = await ownerData(fx);
			const id = await fx.stranger.as.mutation(api.projects.create, { name: 'Another' });
			const owner = await fx.t.run(async (ctx) => (await ctx.db.get(id))?.ownerId);
			expect(owner).toBe(fx.stranger.userId);
			expect(await ownerData(fx)).toEqual(before);
			await expectUnauthenticated(fx, () => fx.t.mutation(api.projects.create, { name: 'x' }));
		}
	},
	'transfer:importZip': {
		why: 'creates a new project owned by the caller from an archive; reads nothing stored',
		async check(fx) {
			// The owner's own content: it shares their blob (content-addressed) and changes nothing
			// of theirs, and the new project reveals nothing the stranger did not upload.
			const content = new TextEncoder().encode('export const v = 2;\n');
			const zip = zipSync({ 'a.ts': content }).slice().buffer;
			const before = await ownerData(fx);
			const id = await fx.stranger.as.mutation(api.transfer.importZip, { name: 'Mine', zip });
			const owner = await fx.t.run(async (ctx) => (await ctx.db.get(id))?.ownerId);
			expect(owner).toBe(fx.stranger.userId);
			expect(await ownerData(fx)).toEqual(before);
			await expectUnauthenticated(fx, () =>
				fx.t.mutation(api.transfer.importZip, { name: 'x', zip })
			);
		}
	},
	'projects:list': {
		why: "lists only the caller's projects",
		async check(fx) {
			const listed = await fx.stranger.as.query(api.projects.list, {});
			expect(listed.map((p) => p._id)).toEqual([fx.strangerProjectId]);
			await expectUnauthenticated(fx, () => fx.t.query(api.projects.list, {}));
		}
	},
	'shares:get': {
		why: 'reads a project only through its live share token, the same for anyone',
		async check(fx) {
			await expectNotFoundByToken(fx, (caller, token) => caller.query(api.shares.get, { token }));
			const token = await fx.owner.as.mutation(api.projects.createShareLink, {
				projectId: fx.ownerProjectId
			});
			const asStranger = await fx.stranger.as.query(api.shares.get, { token });
			expect(asStranger.name).toBe('Owner app');
			expect(await fx.t.query(api.shares.get, { token })).toEqual(asStranger);
			expect(JSON.stringify(asStranger)).not.toMatch(/owner@|stranger/);
			expect(JSON.stringify(asStranger)).not.toContain(fx.owner.userId);
		}
	},
	'shares:read': {
		why: "serves contents only through a live token, and only of that project's hashes",
		async check(fx) {
			await expectNotFoundByToken(fx, (caller, token) =>
				caller.query(api.shares.read, { token, hashes: [fx.hash] })
			);
			const token = await fx.owner.as.mutation(api.projects.createShareLink, {
				projectId: fx.ownerProjectId
			});
			const [blob] = await fx.t.query(api.shares.read, { token, hashes: [fx.hash] });
			expect(blob.content).toBe('export const v = 2;\n');
			// The stranger's own content is not readable through the owner's link.
			const strangersHash = await sha256Hex('not yours');
			const result = await outcome(fx.t.query(api.shares.read, { token, hashes: [strangersHash] }));
			expect(result.ok ? null : result.code).toBe('NOT_FOUND');
		}
	},
	'shares:checkpoints': {
		why: "lists a project's history only through its live share token",
		async check(fx) {
			await expectNotFoundByToken(fx, (caller, token) =>
				caller.query(api.shares.checkpoints, { token })
			);
			const token = await fx.owner.as.mutation(api.projects.createShareLink, {
				projectId: fx.ownerProjectId
			});
			expect(await fx.stranger.as.query(api.shares.checkpoints, { token })).toHaveLength(2);
		}
	},
	'shares:remix': {
		why: "copies a shared project into a new project of the caller's; the source is untouched",
		async check(fx) {
			await expectNotFoundByToken(fx, (caller, token) =>
				caller.mutation(api.shares.remix, { token })
			);
			const token = await fx.owner.as.mutation(api.projects.createShareLink, {
				projectId: fx.ownerProjectId
			});
			const before = await ownerData(fx);
			const id = await fx.stranger.as.mutation(api.shares.remix, { token });
			const owner = await fx.t.run(async (ctx) => (await ctx.db.get(id))?.ownerId);
			expect(owner).toBe(fx.stranger.userId);
			expect(await ownerData(fx)).toEqual(before);
			await expectUnauthenticated(fx, () => fx.t.mutation(api.shares.remix, { token }));
		}
	},
	'shares:gallery': {
		why: 'lists public projects only, by name and token, never an owner id or email',
		async check(fx) {
			expect(await fx.t.query(api.shares.gallery, {})).toEqual([]);
			await fx.owner.as.mutation(api.projects.setVisibility, {
				projectId: fx.ownerProjectId,
				visibility: 'public'
			});
			const listed = await fx.t.query(api.shares.gallery, {});
			expect(listed.map((p) => p.name)).toEqual(['Owner app']);
			expect(await fx.stranger.as.query(api.shares.gallery, {})).toEqual(listed);
			expect(JSON.stringify(listed)).not.toMatch(/@|owner@/);
			expect(JSON.stringify(listed)).not.toContain(fx.owner.userId);
			expect(JSON.stringify(listed)).not.toContain(fx.ownerProjectId);
		}
	},
	'templates:list': {
		why: "the template catalog is nobody's data",
		async check(fx) {
			const asStranger = await fx.stranger.as.query(api.templates.list, {});
			expect(await fx.t.query(api.templates.list, {})).toEqual(asStranger);
			expect(JSON.stringify(asStranger)).not.toContain(fx.ownerProjectId);
		}
	},
	'users:viewer': {
		why: 'describes the caller only',
		async check(fx) {
			const me = await fx.stranger.as.query(api.users.viewer, {});
			expect(me).toMatchObject({ _id: fx.stranger.userId, email: 'stranger@example.com' });
			expect(await fx.t.query(api.users.viewer, {})).toBeNull();
		}
	},
	'users:signInOptions': {
		why: "deployment configuration, the same for everyone and nobody's data",
		async check(fx) {
			const asStranger = await fx.stranger.as.query(api.users.signInOptions, {});
			expect(await fx.t.query(api.users.signInOptions, {})).toEqual(asStranger);
			expect(JSON.stringify(asStranger)).not.toMatch(/owner|@/);
		}
	},
	'secrets:set': {
		why: "saves a key for the caller only: one row of their own, sealed, none of anyone else's",
		async check(fx) {
			await fx.owner.as.action(api.secrets.set, { provider: 'openai', value: 'sk-owner-key-1111' });
			const before = await ownerData(fx);
			await fx.stranger.as.action(api.secrets.set, {
				provider: 'openai',
				value: 'sk-stranger-key-2222'
			});
			expect(await ownerData(fx)).toEqual(before);
			expect((await fx.owner.as.query(api.secrets.list, {}))[0].last4).toBe('1111');
			await expectUnauthenticated(fx, () =>
				fx.t.action(api.secrets.set, { provider: 'openai', value: 'sk-nobody-key-3333' })
			);
		}
	},
	'convexConnection:connect': {
		why: "saves the caller's own Convex connection, sealed; no one else's is touched",
		async check(fx) {
			const deployKey = (name: string) => `prod:${name}|secret-of-${name}`;
			await fx.owner.as.action(api.convexConnection.connect, {
				kind: 'deployKey',
				credential: deployKey('owner-app-1')
			});
			const before = await ownerData(fx);
			await fx.stranger.as.action(api.convexConnection.connect, {
				kind: 'deployKey',
				credential: deployKey('stranger-app-2')
			});
			expect(await ownerData(fx)).toEqual(before);
			expect(await fx.owner.as.query(api.convexConnection.get, {})).toMatchObject({
				url: platform.cloudUrlPattern.replace('{name}', 'owner-app-1')
			});
			await expectUnauthenticated(fx, () =>
				fx.t.action(api.convexConnection.connect, {
					kind: 'deployKey',
					credential: deployKey('nobody-3')
				})
			);
		}
	},
	'convexConnection:get': {
		why: "the caller's own connection: its kind, URL and last four characters only",
		async check(fx) {
			await fx.owner.as.action(api.convexConnection.connect, {
				kind: 'deployKey',
				credential: 'prod:owner-app-1|secret-of-owner'
			});
			expect(await fx.stranger.as.query(api.convexConnection.get, {})).toBeNull();
			await expectUnauthenticated(fx, () => fx.t.query(api.convexConnection.get, {}));
		}
	},
	'convexConnection:disconnect': {
		why: "forgets the caller's own connection; someone else's stays",
		async check(fx) {
			await fx.owner.as.action(api.convexConnection.connect, {
				kind: 'deployKey',
				credential: 'prod:owner-app-1|secret-of-owner'
			});
			const before = await ownerData(fx);
			expect(await fx.stranger.as.mutation(api.convexConnection.disconnect, {})).toBe(false);
			expect(await ownerData(fx)).toEqual(before);
			await expectUnauthenticated(fx, () => fx.t.mutation(api.convexConnection.disconnect, {}));
		}
	},
	'secrets:list': {
		why: "lists the caller's own keys (provider and last four only)",
		async check(fx) {
			await fx.owner.as.action(api.secrets.set, { provider: 'openai', value: 'sk-owner-key-1111' });
			expect(await fx.stranger.as.query(api.secrets.list, {})).toEqual([]);
			await expectUnauthenticated(fx, () => fx.t.query(api.secrets.list, {}));
		}
	},
	'secrets:remove': {
		why: "removes the caller's own key for a provider; someone else's is untouched",
		async check(fx) {
			await fx.owner.as.action(api.secrets.set, { provider: 'openai', value: 'sk-owner-key-1111' });
			const before = await ownerData(fx);
			expect(await fx.stranger.as.mutation(api.secrets.remove, { provider: 'openai' })).toBe(false);
			expect(await ownerData(fx)).toEqual(before);
			await expectUnauthenticated(fx, () =>
				fx.t.mutation(api.secrets.remove, { provider: 'openai' })
			);
		}
	},
	'models:available': {
		why: "the caller's own configured providers plus the operator's, never a key",
		async check(fx) {
			await fx.owner.as.action(api.secrets.set, { provider: 'openai', value: 'sk-owner-key-1111' });
			const asStranger = await fx.stranger.as.query(api.models.available, {});
			expect(asStranger.filter((p) => p.source === 'user')).toEqual([]);
			expect(JSON.stringify(asStranger)).not.toContain('1111');
			await expectUnauthenticated(fx, () => fx.t.query(api.models.available, {}));
		}
	},
	'auth:isAuthenticated': {
		why: 'says only whether the caller is signed in',
		async check(fx) {
			expect(await fx.stranger.as.query(api.auth.isAuthenticated, {})).toBe(true);
			expect(await fx.t.query(api.auth.isAuthenticated, {})).toBe(false);
		}
	},
	'auth:signIn': {
		why: 'signs the caller in as a new or their own account (accounts: auth.test.ts)',
		async check(fx) {
			const before = await ownerData(fx);
			const sub = subjectOf(await fx.t.action(api.auth.signIn, { provider: 'anonymous' }));
			expect(sub.split('|')[0]).not.toBe(fx.owner.userId);
			const guest = fx.t.withIdentity({ subject: sub });
			expect(await guest.query(api.projects.list, {})).toEqual([]);
			expect(await ownerData(fx)).toEqual(before);
		}
	},
	'auth:signOut': {
		why: "ends the caller's own session",
		async check(fx) {
			// A real session, so that signing out has something of the stranger's to end.
			const sub = subjectOf(await fx.t.action(api.auth.signIn, { provider: 'anonymous' }));
			const [, sessionId] = sub.split('|');
			const before = await ownerData(fx);
			await fx.t.withIdentity({ subject: sub }).action(api.auth.signOut, {});
			const session = await fx.t.run((ctx) => ctx.db.get(sessionId as Id<'authSessions'>));
			expect(session).toBeNull();
			expect(await ownerData(fx)).toEqual(before);
		}
	}
};

/** The `sub` of the access token signIn returned: `${userId}|${sessionId}`. */
function subjectOf(signInResult: unknown): string {
	const token = (signInResult as { tokens?: { token?: string } | null }).tokens?.token;
	if (typeof token !== 'string') throw new Error(`signIn returned no token`);
	return decodeJwt(token).sub!;
}

/**
 * Before the owner shares anything, no token opens their project: not a made-up one, not an
 * empty one, for a stranger or signed out; and nothing is written.
 */
async function expectNotFoundByToken(
	fx: Fixture,
	run: (caller: Caller, token: string) => Promise<unknown>
) {
	const before = await snapshotTables(fx.t);
	for (const caller of [fx.stranger.as, fx.t]) {
		for (const token of ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
			const result = await outcome(run(caller, token));
			const code = result.ok ? null : result.code;
			// Remixing needs an owner, so signed out it is refused before the token is looked at.
			if (caller === fx.t && code === 'UNAUTHENTICATED') continue;
			expect(code).toBe('NOT_FOUND');
		}
	}
	expect(await snapshotTables(fx.t)).toEqual(before);
}

async function expectUnauthenticated(fx: Fixture, run: () => Promise<unknown>) {
	const before = await snapshotTables(fx.t);
	const result = await outcome(run());
	expect(result.ok ? 'succeeded' : result.code).toBe('UNAUTHENTICATED');
	expect(await snapshotTables(fx.t)).toEqual(before);
}

/**
 * A function that takes the id of a stored document can be pointed at someone else's: it is
 * in the matrix. Functions that take no id are reached only through the signed-in person, so
 * each must say in UNSCOPED_FUNCTIONS what a stranger sees.
 */
const scopedFunctions = publicFunctions.filter(
	(f) => idTables(f.args).size > 0 && !(f.name in UNSCOPED_FUNCTIONS)
);

// ---------------------------------------------------------------------------------------------
// The tests

// Saving a deploy key asks its deployment whether it takes the key: these deployments are the
// fake Platform API's, and take the keys the checks below save.
let platform: FakePlatform;
beforeAll(async () => {
	platform = await startFakePlatform();
	process.env.CONVEX_CLOUD_URL_PATTERN = platform.cloudUrlPattern;
	for (const key of [
		'prod:owner-app-1|secret-of-owner-app-1',
		'prod:stranger-app-2|secret-of-stranger-app-2',
		'prod:owner-app-1|secret-of-owner'
	]) {
		platform.acceptDeployKey(key);
	}
});
afterAll(async () => {
	delete process.env.CONVEX_CLOUD_URL_PATTERN;
	await platform?.close();
});

describe('discovery', () => {
	test('finds the public functions of every module', () => {
		const names = publicFunctions.map((f) => f.name);
		// A broken glob or flag check would find nothing and make the matrix pass vacuously.
		expect(names).toEqual(
			expect.arrayContaining(['files:save', 'files:read', 'projects:get', 'checkpoints:restore'])
		);
		expect(names).not.toContain('projects:purgeDeletedUnchecked');
		expect(scopedFunctions.length).toBeGreaterThanOrEqual(8);
	});

	test('every public function is either scoped by an id or classified in UNSCOPED', () => {
		const unscoped = UNSCOPED_FUNCTIONS;
		const unclassified = publicFunctions
			.filter((f) => idTables(f.args).size === 0 && !(f.name in unscoped))
			.map((f) => f.name);
		expect(
			unclassified,
			`These public functions take no document id, so the matrix cannot aim them at someone ` +
				`else's data: add each to UNSCOPED_FUNCTIONS in tests/convex/authorization.test.ts ` +
				`with what a stranger and a signed-out caller see, or make it take the id it acts on.`
		).toEqual([]);
		const known = new Set(publicFunctions.map((f) => f.name));
		const stale = Object.keys(unscoped).filter((name) => !known.has(name));
		expect(stale, 'UNSCOPED_FUNCTIONS lists functions that no longer exist').toEqual([]);
	});
});

describe.each(scopedFunctions)('$name ($kind)', (f) => {
	const variants = hasOptionalField(f.args) ? [false, true] : [false];

	test.each(variants)(
		"a stranger is refused, signed-out is UNAUTHENTICATED, the owner's call works (optional args: %s)",
		async (withOptional) => {
			const fx = await fixture();
			await resolveIds(fx, idTables(f.args));
			const args = buildArg(f.args, '', fx, withOptional) as Args;

			const before = await snapshotTables(fx.t);
			const asStranger = await outcome(call(fx.stranger.as, f, args));
			expect(
				asStranger.ok ? null : asStranger.code,
				`${f.name} as a stranger ${describeOutcome(asStranger)}`
			).toBeOneOf(REFUSED);
			expect(await snapshotTables(fx.t)).toEqual(before);

			const signedOut = await outcome(call(fx.t, f, args));
			expect(
				signedOut.ok ? null : signedOut.code,
				`${f.name} signed out ${describeOutcome(signedOut)}`
			).toBe('UNAUTHENTICATED');
			expect(await snapshotTables(fx.t)).toEqual(before);

			// The same arguments work for the owner, so the refusals above were about who called,
			// not about arguments the function would have refused anyway.
			const asOwner = await outcome(call(fx.owner.as, f, args));
			if (f.name in OWNER_CALL_MAY_FAIL) {
				expect(asOwner.ok ? null : asOwner.code).not.toBeOneOf([...REFUSED, 'UNAUTHENTICATED']);
			} else {
				expect(asOwner.ok, `${f.name} as the owner ${describeOutcome(asOwner)}`).toBe(true);
			}
		}
	);

	// The stranger's own project with the owner's checkpoint (or other) ids: the classic
	// insecure-direct-object-reference, where only the project is checked.
	const otherTables = [...idTables(f.args)].filter((table) => table !== 'projects');
	if (otherTables.length === 0) return;
	test(`the owner's ${otherTables.join(', ')} ids through the stranger's own project are refused`, async () => {
		const fx = await fixture();
		await resolveIds(fx, idTables(f.args));
		for (const withOptional of variants) {
			const args = withStrangerProject(f.args, buildArg(f.args, '', fx, withOptional), fx) as Args;
			// Without its optional fields a call may carry none of the owner's other ids (e.g.
			// projects.remix of the stranger's own project at its head), which is theirs to make.
			const json = JSON.stringify(args);
			const carried = [...fx.ownerIds].some(
				([table, id]) => table !== 'projects' && json.includes(id)
			);
			if (!carried) continue;
			const before = await snapshotTables(fx.t);
			const result = await outcome(call(fx.stranger.as, f, args));
			expect(result.ok ? null : result.code, `${f.name} ${describeOutcome(result)}`).toBeOneOf(
				REFUSED
			);
			expect(await snapshotTables(fx.t)).toEqual(before);
		}
	});
});

describe('hashes are not capabilities', () => {
	test("files.read refuses the owner's hash asked through the stranger's own project", async () => {
		const fx = await fixture();
		const result = await outcome(
			fx.stranger.as.query(api.files.read, {
				projectId: fx.strangerProjectId,
				hashes: [fx.hash]
			})
		);
		expect(result.ok ? null : result.code).toBe('NOT_FOUND');
		// And the owner can read it, so the hash is real.
		const [blob] = await fx.owner.as.query(api.files.read, {
			projectId: fx.ownerProjectId,
			hashes: [fx.hash]
		});
		expect(blob.content).toBe('export const v = 2;\n');
	});
});

describe.each(Object.entries(UNSCOPED_FUNCTIONS))('%s (takes no id)', (name, entry) => {
	test(`what a stranger sees: ${entry.why}`, async () => {
		expect(publicFunctions.map((f) => f.name)).toContain(name);
		await entry.check(await fixture());
	});
});
