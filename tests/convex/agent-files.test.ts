import { describe, expect, test } from 'vitest';
import { api, internal } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { sha256Hex } from '../../convex/model/blobs';
import { setup, signedIn, type Test } from './setup';

async function project(templateId?: string) {
	const t = await setup();
	const me = await signedIn(t);
	const projectId = await me.as.mutation(api.projects.create, { name: 'Mine', templateId });
	return { t, me, projectId };
}

async function fileRow(t: Test, projectId: Id<'projects'>, path: string) {
	return await t.run((ctx) =>
		ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId).eq('path', path))
			.unique()
	);
}

async function agentCheckpoints(t: Test, projectId: Id<'projects'>) {
	const rows = await t.run((ctx) =>
		ctx.db
			.query('checkpoints')
			.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId))
			.collect()
	);
	return rows.filter((c) => c.kind === 'agent');
}

const source = [
	'export function add(a: number, b: number) {',
	'\treturn a + b;',
	'}',
	'',
	'export function sub(a: number, b: number) {',
	'\treturn a - b;',
	'}',
	''
].join('\n');

describe('agent file tools: edit', () => {
	test('applies search/replace edits and records them as the agent', async () => {
		const { t, projectId } = await project();
		await t.mutation(internal.agentFiles.write, {
			projectId,
			stepKey: 'run:1',
			path: 'src/math.ts',
			content: source
		});
		const result = await t.mutation(internal.agentFiles.edit, {
			projectId,
			stepKey: 'run:1',
			path: 'src/math.ts',
			edits: [
				{ search: '\treturn a + b;', replace: '\treturn a + b + 0;' },
				{ search: 'export function sub', replace: 'export function subtract' }
			]
		});
		expect(result).toMatchObject({
			ok: true,
			path: 'src/math.ts',
			editsApplied: 2,
			removedLines: 2,
			addedLines: 2,
			lines: 7
		});
		const expected = source
			.replace('a + b;', 'a + b + 0;')
			.replace('function sub', 'function subtract');
		const row = await fileRow(t, projectId, 'src/math.ts');
		expect(row).toMatchObject({ hash: await sha256Hex(expected), updatedBy: 'agent' });
	});

	test('a missing search text names the nearest lines with numbers', async () => {
		const { t, projectId } = await project();
		await t.mutation(internal.agentFiles.write, {
			projectId,
			stepKey: 'run:1',
			path: 'src/math.ts',
			content: source
		});
		const result = await t.mutation(internal.agentFiles.edit, {
			projectId,
			stepKey: 'run:1',
			path: 'src/math.ts',
			edits: [{ search: 'export function sub(a, b) {\n\treturn a - b;', replace: '' }]
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.code).toBe('CONFLICT');
		expect(result.error).toContain('not found in src/math.ts');
		expect(result.error).toContain('lines 5-6');
		expect(result.error).toContain('5\texport function sub(a: number, b: number) {');
		expect(result.error).toContain('6\t\treturn a - b;');
	});

	test('a search text found several times names the count and the lines', async () => {
		const { t, projectId } = await project();
		await t.mutation(internal.agentFiles.write, {
			projectId,
			stepKey: 'run:1',
			path: 'src/math.ts',
			content: source
		});
		const result = await t.mutation(internal.agentFiles.edit, {
			projectId,
			stepKey: 'run:1',
			path: 'src/math.ts',
			edits: [{ search: 'a: number, b: number', replace: 'x: number, y: number' }]
		});
		expect(result).toMatchObject({ ok: false, code: 'CONFLICT' });
		if (result.ok) return;
		expect(result.error).toContain('matches 2 times');
		expect(result.error).toContain('at lines 1 and 5');
	});

	test('one failing edit among several leaves the file, blobs and history untouched', async () => {
		const { t, projectId } = await project();
		await t.mutation(internal.agentFiles.write, {
			projectId,
			stepKey: 'run:1',
			path: 'src/math.ts',
			content: source
		});
		const before = await t.run(async (ctx) => ({
			blobs: (await ctx.db.query('blobs').collect()).length,
			changes: (await ctx.db.query('fileChanges').collect()).length,
			project: await ctx.db.get(projectId)
		}));
		const result = await t.mutation(internal.agentFiles.edit, {
			projectId,
			stepKey: 'run:2',
			path: 'src/math.ts',
			edits: [
				{ search: 'a + b', replace: 'b + a' },
				{ search: 'no such text', replace: 'x' },
				{ search: 'a - b', replace: 'b - a' }
			]
		});
		expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^Edit 2 of 3/) });
		const row = await fileRow(t, projectId, 'src/math.ts');
		expect(row?.hash).toBe(await sha256Hex(source));
		const after = await t.run(async (ctx) => ({
			blobs: (await ctx.db.query('blobs').collect()).length,
			changes: (await ctx.db.query('fileChanges').collect()).length,
			project: await ctx.db.get(projectId)
		}));
		expect(after).toEqual(before);
		expect(await agentCheckpoints(t, projectId)).toHaveLength(1);
	});

	test('editing a missing file says so and points at write', async () => {
		const { t, projectId } = await project();
		const result = await t.mutation(internal.agentFiles.edit, {
			projectId,
			stepKey: 'run:1',
			path: 'src/nope.ts',
			edits: [{ search: 'a', replace: 'b' }]
		});
		expect(result).toMatchObject({ ok: false, code: 'NOT_FOUND' });
		if (!result.ok) expect(result.error).toContain('write it instead');
	});
});

describe('agent file tools: protected paths', () => {
	const templateId = 'sveltekit-convex';
	const generated = 'convex/_generated/api.d.ts';

	test('write, edit, delete and rename refuse the template protected globs', async () => {
		const { t, projectId } = await project(templateId);
		const original = await fileRow(t, projectId, generated);
		expect(original).not.toBeNull();
		const step = { projectId, stepKey: 'run:1' };
		const results = [
			await t.mutation(internal.agentFiles.write, { ...step, path: generated, content: 'x' }),
			await t.mutation(internal.agentFiles.write, {
				...step,
				path: 'convex/_generated/new.ts',
				content: 'x'
			}),
			await t.mutation(internal.agentFiles.write, {
				...step,
				path: 'package-lock.json',
				content: '{}'
			}),
			await t.mutation(internal.agentFiles.edit, {
				...step,
				path: generated,
				edits: [{ search: 'a', replace: 'b' }]
			}),
			await t.mutation(internal.agentFiles.remove, { ...step, path: generated }),
			// Out of a protected path, and into one.
			await t.mutation(internal.agentFiles.rename, { ...step, from: generated, to: 'api.d.ts' }),
			await t.mutation(internal.agentFiles.rename, {
				...step,
				from: 'README.md',
				to: 'convex/_generated/README.md'
			})
		];
		for (const result of results) {
			expect(result).toMatchObject({ ok: false, code: 'PROTECTED' });
			if (!result.ok) expect(result.error).toContain('protected');
		}
		expect(await fileRow(t, projectId, generated)).toEqual(original);
		expect(await fileRow(t, projectId, 'README.md')).not.toBeNull();
		expect(await agentCheckpoints(t, projectId)).toHaveLength(0);
		// Ordinary files of the same project stay writable.
		const ok = await t.mutation(internal.agentFiles.write, {
			...step,
			path: 'convex/notes.ts',
			content: 'export {};\n'
		});
		expect(ok).toMatchObject({ ok: true, created: true });
	});

	test('a remix keeps the protection of the template it came from', async () => {
		const { t, projectId } = await project(templateId);
		// Remixing is not built yet: a project whose origin is a remix of the template project.
		const remixId = await t.run(async (ctx) => {
			const source = (await ctx.db.get(projectId))!;
			return await ctx.db.insert('projects', {
				ownerId: source.ownerId,
				name: 'Remix',
				origin: { kind: 'remix', projectId, checkpointId: source.headCheckpointId! },
				visibility: 'private',
				checkpointSeq: 0,
				fileCount: 0,
				totalBytes: 0,
				updatedAt: Date.now()
			});
		});
		const result = await t.mutation(internal.agentFiles.remove, {
			projectId: remixId,
			stepKey: 'run:1',
			path: generated
		});
		expect(result).toMatchObject({ ok: false, code: 'PROTECTED' });
	});

	test('invalid paths are refused with INVALID_PATH', async () => {
		const { t, projectId } = await project();
		for (const path of ['../x.ts', '/etc/passwd', 'node_modules/a/index.js']) {
			const result = await t.mutation(internal.agentFiles.write, {
				projectId,
				stepKey: 'run:1',
				path,
				content: 'x'
			});
			expect(result).toMatchObject({ ok: false, code: 'INVALID_PATH' });
		}
		expect(await t.run((ctx) => ctx.db.query('files').collect())).toHaveLength(0);
	});
});

describe('agent file tools: one checkpoint per step', () => {
	test('three writes and an edit in one step make one agent checkpoint', async () => {
		const { t, me, projectId } = await project();
		const step = { projectId, stepKey: 'run-a:1' };
		await t.mutation(internal.agentFiles.write, { ...step, path: 'a.ts', content: 'a\n' });
		await t.mutation(internal.agentFiles.write, { ...step, path: 'b.ts', content: 'b\n' });
		await t.mutation(internal.agentFiles.write, { ...step, path: 'c.ts', content: 'c\n' });
		const edited = await t.mutation(internal.agentFiles.edit, {
			...step,
			path: 'a.ts',
			edits: [{ search: 'a', replace: 'A' }]
		});
		expect(edited.ok).toBe(true);
		const checkpoints = await agentCheckpoints(t, projectId);
		expect(checkpoints).toHaveLength(1);
		const [checkpoint] = checkpoints;
		expect(checkpoint).toMatchObject({ stepKey: 'run-a:1', changeCount: 3 });
		if (edited.ok) expect(edited.checkpointId).toBe(checkpoint._id);
		const row = await t.run((ctx) => ctx.db.get(projectId));
		expect(row).toMatchObject({
			headCheckpointId: checkpoint._id,
			checkpointSeq: checkpoint.seq,
			fileCount: 3
		});
		const diff = await me.as.query(api.checkpoints.diff, {
			projectId,
			toCheckpointId: checkpoint._id
		});
		// a.ts: created in this step, so its before is "absent" and its after is the edited text.
		expect(diff).toEqual([
			{ path: 'a.ts', beforeHash: null, afterHash: await sha256Hex('A\n') },
			{ path: 'b.ts', beforeHash: null, afterHash: await sha256Hex('b\n') },
			{ path: 'c.ts', beforeHash: null, afterHash: await sha256Hex('c\n') }
		]);
	});

	test('a path back where the step found it drops out of the checkpoint', async () => {
		const { t, me, projectId } = await project();
		await t.mutation(internal.agentFiles.write, {
			projectId,
			stepKey: 'run:1',
			path: 'keep.ts',
			content: 'v1'
		});
		const step = { projectId, stepKey: 'run:2' };
		await t.mutation(internal.agentFiles.write, { ...step, path: 'keep.ts', content: 'v2' });
		await t.mutation(internal.agentFiles.write, { ...step, path: 'new.ts', content: 'n' });
		await t.mutation(internal.agentFiles.write, { ...step, path: 'keep.ts', content: 'v1' });
		const checkpoints = await agentCheckpoints(t, projectId);
		expect(checkpoints).toHaveLength(2);
		const second = checkpoints[1];
		expect(second.changeCount).toBe(1);
		const diff = await me.as.query(api.checkpoints.diff, { projectId, toCheckpointId: second._id });
		expect(diff.map((c) => c.path)).toEqual(['new.ts']);
		const rows = await t.run((ctx) =>
			ctx.db
				.query('fileChanges')
				.withIndex('by_checkpointId', (q) => q.eq('checkpointId', second._id))
				.collect()
		);
		expect(rows.map((r) => r.path)).toEqual(['new.ts']);
	});

	test('two step keys make two checkpoints, and restore goes back between them', async () => {
		const { t, me, projectId } = await project();
		await t.mutation(internal.agentFiles.write, {
			projectId,
			stepKey: 'run:1',
			path: 'a.ts',
			content: 'one'
		});
		await t.mutation(internal.agentFiles.write, {
			projectId,
			stepKey: 'run:2',
			path: 'a.ts',
			content: 'two'
		});
		await t.mutation(internal.agentFiles.rename, {
			projectId,
			stepKey: 'run:2',
			from: 'a.ts',
			to: 'b.ts'
		});
		const checkpoints = await agentCheckpoints(t, projectId);
		expect(checkpoints.map((c) => [c.stepKey, c.changeCount])).toEqual([
			['run:1', 1],
			['run:2', 2]
		]);
		const diff = await me.as.query(api.checkpoints.diff, {
			projectId,
			toCheckpointId: checkpoints[1]._id
		});
		expect(diff).toEqual([
			{ path: 'a.ts', beforeHash: await sha256Hex('one'), afterHash: null },
			{ path: 'b.ts', beforeHash: null, afterHash: await sha256Hex('two') }
		]);
		await me.as.mutation(api.checkpoints.restore, { projectId, checkpointId: checkpoints[0]._id });
		const files = await me.as.query(api.files.list, { projectId });
		expect(files.map((f) => [f.path, f.hash])).toEqual([['a.ts', await sha256Hex('one')]]);
	});

	test('a user save in the middle of a step starts a new checkpoint for the rest', async () => {
		const { t, me, projectId } = await project();
		const step = { projectId, stepKey: 'run:1' };
		await t.mutation(internal.agentFiles.write, { ...step, path: 'a.ts', content: 'a' });
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'user.ts', content: 'u', baseHash: null }]
		});
		await t.mutation(internal.agentFiles.write, { ...step, path: 'a.ts', content: 'b' });
		const checkpoints = await agentCheckpoints(t, projectId);
		expect(checkpoints).toHaveLength(2);
		const diff = await me.as.query(api.checkpoints.diff, {
			projectId,
			toCheckpointId: checkpoints[1]._id
		});
		expect(diff).toEqual([
			{ path: 'a.ts', beforeHash: await sha256Hex('a'), afterHash: await sha256Hex('b') }
		]);
	});

	test('writing identical content changes nothing and makes no checkpoint', async () => {
		const { t, projectId } = await project();
		const args = { projectId, stepKey: 'run:1', path: 'a.ts', content: 'same' };
		await t.mutation(internal.agentFiles.write, args);
		const again = await t.mutation(internal.agentFiles.write, { ...args, stepKey: 'run:2' });
		expect(again).toMatchObject({ ok: true, checkpointId: null, created: false });
		expect(await agentCheckpoints(t, projectId)).toHaveLength(1);
	});
});

describe('agent file tools: read, search, list', () => {
	async function withFiles() {
		const ctx = await project();
		const files: Record<string, string> = {
			'src/app.ts': 'const greeting = "Hello";\nconsole.log(greeting);\nexport {};\n',
			'src/lib/util.ts': 'export function greet(name: string) {\n\treturn `Hello ${name}`;\n}\n',
			'src/routes/+page.svelte': '<h1>hello world</h1>\n',
			'README.md': '# Hello\n'
		};
		for (const [path, content] of Object.entries(files)) {
			await ctx.t.mutation(internal.agentFiles.write, {
				projectId: ctx.projectId,
				stepKey: 'seed',
				path,
				content
			});
		}
		return ctx;
	}

	test('read numbers lines and honours ranges, clamping with a note', async () => {
		const { t, projectId } = await withFiles();
		const whole = await t.query(internal.agentFiles.read, { projectId, path: 'src/app.ts' });
		expect(whole).toMatchObject({
			ok: true,
			text: '1\tconst greeting = "Hello";\n2\tconsole.log(greeting);\n3\texport {};',
			startLine: 1,
			endLine: 3,
			totalLines: 3
		});
		expect(whole).not.toHaveProperty('note');
		const part = await t.query(internal.agentFiles.read, {
			projectId,
			path: 'src/app.ts',
			startLine: 2,
			endLine: 2
		});
		expect(part).toMatchObject({ ok: true, text: '2\tconsole.log(greeting);' });
		const clamped = await t.query(internal.agentFiles.read, {
			projectId,
			path: 'src/app.ts',
			startLine: 2,
			endLine: 99
		});
		expect(clamped).toMatchObject({ ok: true, startLine: 2, endLine: 3 });
		if (clamped.ok) expect(clamped.note).toContain('lowered to 3');
		const missing = await t.query(internal.agentFiles.read, { projectId, path: 'app.ts' });
		expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });
		if (!missing.ok) expect(missing.error).toContain('src/app.ts');
	});

	test('search: literal, regex, glob filter, bad regex', async () => {
		const { t, projectId } = await withFiles();
		const literal = await t.query(internal.agentFiles.search, { projectId, query: 'Hello' });
		expect(literal).toMatchObject({
			ok: true,
			matches: [
				'README.md:1: # Hello',
				'src/app.ts:1: const greeting = "Hello";',
				'src/lib/util.ts:2: \treturn `Hello ${name}`;'
			],
			truncated: false
		});
		const regex = await t.query(internal.agentFiles.search, {
			projectId,
			query: '^export (function|\\{)',
			regex: true
		});
		expect(regex).toMatchObject({
			ok: true,
			matches: [
				'src/app.ts:3: export {};',
				'src/lib/util.ts:1: export function greet(name: string) {'
			]
		});
		const globbed = await t.query(internal.agentFiles.search, {
			projectId,
			query: 'hello',
			ignoreCase: true,
			glob: 'src/**/*.svelte'
		});
		expect(globbed).toMatchObject({
			ok: true,
			matches: ['src/routes/+page.svelte:1: <h1>hello world</h1>'],
			filesSearched: 1
		});
		const bad = await t.query(internal.agentFiles.search, { projectId, query: 'a(b', regex: true });
		expect(bad).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
		if (!bad.ok) expect(bad.error).toContain('Invalid regular expression');
	});

	test('list filters by glob and reports sizes', async () => {
		const { t, projectId } = await withFiles();
		const all = await t.query(internal.agentFiles.list, { projectId });
		expect(all.ok && all.files.map((f) => f.path)).toEqual([
			'README.md',
			'src/app.ts',
			'src/lib/util.ts',
			'src/routes/+page.svelte'
		]);
		const ts = await t.query(internal.agentFiles.list, { projectId, glob: '*.ts' });
		expect(ts).toMatchObject({
			ok: true,
			files: [
				{ path: 'src/app.ts', size: 60 },
				{ path: 'src/lib/util.ts', size: 65 }
			]
		});
		const lib = await t.query(internal.agentFiles.list, { projectId, glob: 'src/{lib,routes}/**' });
		expect(lib.ok && lib.files.map((f) => f.path)).toEqual([
			'src/lib/util.ts',
			'src/routes/+page.svelte'
		]);
	});
});
