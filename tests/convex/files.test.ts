import { describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { templates } from '../../convex/templates/bundle';
import { sha256Hex } from '../../convex/model/blobs';
import { setup, signedIn } from './setup';

async function blankProject() {
	const t = await setup();
	const me = await signedIn(t);
	const projectId = await me.as.mutation(api.projects.create, { name: 'Mine' });
	return { t, me, projectId };
}

describe('files', () => {
	test('a saved file is listed by metadata and read by hash', async () => {
		const { me, projectId } = await blankProject();
		const { checkpointId } = await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'src/app.ts', content: 'export {};\n', baseHash: null }]
		});
		expect(checkpointId).not.toBeNull();
		const files = await me.as.query(api.files.list, { projectId });
		const hash = await sha256Hex('export {};\n');
		expect(files).toMatchObject([{ path: 'src/app.ts', hash, size: 11, updatedBy: 'user' }]);
		expect(files[0]).not.toHaveProperty('content');
		const [blob] = await me.as.query(api.files.read, { projectId, hashes: [hash] });
		expect(blob.content).toBe('export {};\n');
	});

	test('a stale base hash is a conflict and writes nothing', async () => {
		const { t, me, projectId } = await blankProject();
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'a.txt', content: 'one', baseHash: null }]
		});
		const base = await sha256Hex('one');
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'a.txt', content: 'two', baseHash: base }]
		});
		const currentHash = await sha256Hex('two');
		await expect(
			me.as.mutation(api.files.save, {
				projectId,
				edits: [{ kind: 'write', path: 'a.txt', content: 'three', baseHash: base }]
			})
		).rejects.toMatchObject({ data: { code: 'CONFLICT', path: 'a.txt', currentHash } });
		const files = await me.as.query(api.files.list, { projectId });
		expect(files[0].hash).toBe(await sha256Hex('two'));
		const checkpoints = await t.run((ctx) => ctx.db.query('checkpoints').collect());
		expect(checkpoints).toHaveLength(2);
	});

	test('creating a file that exists is a conflict', async () => {
		const { me, projectId } = await blankProject();
		const write = { kind: 'write' as const, path: 'a.txt', content: 'x', baseHash: null };
		await me.as.mutation(api.files.save, { projectId, edits: [write] });
		await expect(
			me.as.mutation(api.files.save, { projectId, edits: [write] })
		).rejects.toMatchObject({ data: { code: 'CONFLICT' } });
	});

	test('rename and delete in one batch make one checkpoint', async () => {
		const { me, projectId } = await blankProject();
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [
				{ kind: 'write', path: 'a.txt', content: 'a', baseHash: null },
				{ kind: 'write', path: 'b.txt', content: 'b', baseHash: null }
			]
		});
		const result = await me.as.mutation(api.files.save, {
			projectId,
			edits: [
				{ kind: 'rename', from: 'a.txt', to: 'docs/a.md', baseHash: await sha256Hex('a') },
				{ kind: 'delete', path: 'b.txt', baseHash: await sha256Hex('b') }
			]
		});
		expect(result.changes.map((c) => c.path).sort()).toEqual(['a.txt', 'b.txt', 'docs/a.md']);
		const files = await me.as.query(api.files.list, { projectId });
		expect(files.map((f) => f.path)).toEqual(['docs/a.md']);
		const project = await me.as.query(api.projects.get, { projectId });
		expect(project.fileCount).toBe(1);
		const history = await me.as.query(api.checkpoints.list, { projectId });
		expect(history.map((c) => c.message)).toEqual(['Saved 2 changes', 'Saved 2 changes']);
	});

	test('saving identical content makes no checkpoint', async () => {
		const { me, projectId } = await blankProject();
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'a.txt', content: 'same', baseHash: null }]
		});
		const again = await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'a.txt', content: 'same', baseHash: await sha256Hex('same') }]
		});
		expect(again.checkpointId).toBeNull();
		expect(await me.as.query(api.checkpoints.list, { projectId })).toHaveLength(1);
	});
});

describe('checkpoints', () => {
	test('diff shows what a save changed; restore brings old content back as a new checkpoint', async () => {
		const { me, projectId } = await blankProject();
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'a.txt', content: 'v1', baseHash: null }]
		});
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [
				{ kind: 'write', path: 'a.txt', content: 'v2', baseHash: await sha256Hex('v1') },
				{ kind: 'write', path: 'b.txt', content: 'new', baseHash: null }
			]
		});
		const [second, first] = await me.as.query(api.checkpoints.list, { projectId });
		const diff = await me.as.query(api.checkpoints.diff, { projectId, toCheckpointId: second._id });
		expect(diff).toEqual([
			{ path: 'a.txt', beforeHash: await sha256Hex('v1'), afterHash: await sha256Hex('v2') },
			{ path: 'b.txt', beforeHash: null, afterHash: await sha256Hex('new') }
		]);

		const restored = await me.as.mutation(api.checkpoints.restore, {
			projectId,
			checkpointId: first._id
		});
		expect(restored).not.toBeNull();
		const files = await me.as.query(api.files.list, { projectId });
		expect(files).toMatchObject([{ path: 'a.txt', hash: await sha256Hex('v1') }]);
		const history = await me.as.query(api.checkpoints.list, { projectId });
		expect(history.map((c) => c.kind)).toEqual(['restore', 'save', 'save']);
		expect(history[0].message).toBe(`Restored checkpoint #${first.seq}`);
		// Old content stays reachable through history.
		const [v2] = await me.as.query(api.files.read, { projectId, hashes: [await sha256Hex('v2')] });
		expect(v2.content).toBe('v2');
		// Diff between two arbitrary checkpoints, in either direction.
		const back = await me.as.query(api.checkpoints.diff, {
			projectId,
			fromCheckpointId: second._id,
			toCheckpointId: first._id
		});
		expect(back.map((c) => [c.path, c.afterHash])).toEqual([
			['a.txt', await sha256Hex('v1')],
			['b.txt', null]
		]);
	});
});

describe('projects', () => {
	test('new project from a template points at shared blobs and copies no content', async () => {
		expect(templates.length).toBeGreaterThan(0);
		const template = templates[0];
		const t = await setup();
		const me = await signedIn(t);
		const first = await me.as.mutation(api.projects.create, { templateId: template.id });
		const blobsAfterFirst = await t.run((ctx) => ctx.db.query('blobs').collect());
		const second = await me.as.mutation(api.projects.create, { templateId: template.id });
		const blobsAfterSecond = await t.run((ctx) => ctx.db.query('blobs').collect());
		expect(blobsAfterSecond.length).toBe(blobsAfterFirst.length);

		const a = await me.as.query(api.files.list, { projectId: first });
		const b = await me.as.query(api.files.list, { projectId: second });
		expect(a.map((f) => f.path)).toEqual(template.files.map((f) => f.path).sort());
		expect(b.map((f) => f.hash)).toEqual(a.map((f) => f.hash));
		expect(a.every((f) => f.updatedBy === 'template')).toBe(true);
		const project = await me.as.query(api.projects.get, { projectId: first });
		expect(project).toMatchObject({
			name: template.name,
			origin: { kind: 'template', templateId: template.id },
			fileCount: template.files.length
		});
	});

	test('the creation checkpoint diffs as every template file added, and replaced template content stays readable', async () => {
		const template = templates[0];
		const t = await setup();
		const me = await signedIn(t);
		const projectId = await me.as.mutation(api.projects.create, { templateId: template.id });
		const [original] = await me.as.query(api.files.list, { projectId });
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: original.path, content: 'replaced', baseHash: original.hash }]
		});
		const history = await me.as.query(api.checkpoints.list, { projectId });
		expect(history.map((c) => c.kind)).toEqual(['save', 'create']);
		const created = await me.as.query(api.checkpoints.diff, {
			projectId,
			toCheckpointId: history[1]._id
		});
		expect(created).toHaveLength(template.files.length);
		expect(created.every((c) => c.beforeHash === null)).toBe(true);
		expect(created.find((c) => c.path === original.path)?.afterHash).toBe(original.hash);
		// The template's version of the edited file is still readable, and restorable.
		const [old] = await me.as.query(api.files.read, { projectId, hashes: [original.hash] });
		expect(old.content).toBe(template.files.find((f) => f.path === original.path)?.content);
		await me.as.mutation(api.checkpoints.restore, { projectId, checkpointId: history[1]._id });
		const files = await me.as.query(api.files.list, { projectId });
		expect(files.find((f) => f.path === original.path)?.hash).toBe(original.hash);
	});

	test('list, rename, and delete with its files and history', async () => {
		const { t, me, projectId } = await blankProject();
		await me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: 'a.txt', content: 'a', baseHash: null }]
		});
		await me.as.mutation(api.projects.rename, { projectId, name: '  Grocery   list ' });
		expect((await me.as.query(api.projects.list, {})).map((p) => p.name)).toEqual(['Grocery list']);
		await me.as.mutation(api.projects.remove, { projectId });
		await t.finishAllScheduledFunctions(() => {});
		expect(await me.as.query(api.projects.list, {})).toEqual([]);
		const left = await t.run(async (ctx) => ({
			files: (await ctx.db.query('files').collect()).length,
			checkpoints: (await ctx.db.query('checkpoints').collect()).length,
			changes: (await ctx.db.query('fileChanges').collect()).length
		}));
		expect(left).toEqual({ files: 0, checkpoints: 0, changes: 0 });
	});

	test('an unknown template is refused and creates nothing', async () => {
		const t = await setup();
		const me = await signedIn(t);
		await expect(
			me.as.mutation(api.projects.create, { templateId: 'no-such-template' })
		).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
		expect(await me.as.query(api.projects.list, {})).toEqual([]);
	});
});
