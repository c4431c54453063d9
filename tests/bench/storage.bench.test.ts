// Storage figures: what one edit and one whole-project copy write, with our content-addressed
// design, against what a snapshot-per-change design would write for the same edit.
import { gzipSync } from 'node:zlib';
import { expect, onTestFinished, test, vi } from 'vitest';
import { api } from '../../convex/_generated/api';
import { sha256Hex } from '../../convex/model/blobs';
import { setup, signedIn } from '../convex/setup';
import { record } from './figures';
import { benchTemplate, EDITED_PATH } from './project';
import { describeTables, measureWrites } from './writes';

// The measured project enters through the real template code path (projects.create with a
// templateId), so the bundle the deployment would load is replaced by the 120-file bench app.
vi.mock('../../convex/templates/bundle', async () => {
	const { benchTemplate } = await import('./project');
	return { templates: [benchTemplate()] };
});

const template = benchTemplate();

test('storage cost of a one-line edit and of copying a project', async (ctx) => {
	// Timestamps are stored as numbers whose JSON length varies with the clock; a fixed clock
	// makes the byte counts repeat exactly from run to run.
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
	onTestFinished(() => void vi.useRealTimers());
	const t = await setup();
	const me = await signedIn(t);
	const projectId = await me.as.mutation(api.projects.create, { templateId: template.id });
	const files = await me.as.query(api.files.list, { projectId });
	expect(files).toHaveLength(template.files.length);

	// A one-line edit of a typical ~2 KB component, saved the way the editor saves it.
	const original = template.files.find((f) => f.path === EDITED_PATH)!.content;
	const lines = original.split('\n');
	const at = lines.findIndex((line) => line.includes('$state('));
	lines[at] = lines[at].replace(/\$state\(\d+\)/, '$state(42)');
	const edited = lines.join('\n');
	expect(edited).not.toBe(original);
	const baseHash = await sha256Hex(original);
	const edit = await measureWrites(t, () =>
		me.as.mutation(api.files.save, {
			projectId,
			edits: [{ kind: 'write', path: EDITED_PATH, content: edited, baseHash }]
		})
	);
	expect(edit.result.changes).toHaveLength(1);
	const editedBytes = new TextEncoder().encode(original).length;

	// What a snapshot-per-change design writes for the same edit: the whole tree, compressed.
	const tree = Object.fromEntries(
		template.files.map((f) => [f.path, f.path === EDITED_PATH ? edited : f.content])
	);
	const snapshotBytes = gzipSync(JSON.stringify(tree)).length;

	// Copying the whole project as a new project. There is no remix function yet; creating a
	// second project from the same bundle is the same work a remix does in this design: a
	// project row, one file row and one change row per file pointing at blobs that already
	// exist, and one checkpoint. No file content is copied, so this is the honest measure of
	// "copy the whole project" (a remix of an edited project would differ only in hashes).
	const remix = await measureWrites(t, () =>
		me.as.mutation(api.projects.create, { templateId: template.id })
	);
	const copied = await me.as.query(api.files.list, { projectId: remix.result });
	// Same tree as the template, hence as the first project before its edit.
	expect(copied.map((f) => [f.path, f.hash])).toEqual(files.map((f) => [f.path, f.hash]));
	expect(remix.byTable.find(([table]) => table === 'blobs')).toBeUndefined();

	record(ctx, 'files', {
		value: files.length,
		unit: 'files',
		label: 'files in the measured project',
		note: `${template.files.reduce((n, f) => n + f.content.length, 0)} bytes of source`
	});
	record(ctx, 'edited_file_bytes', {
		value: editedBytes,
		unit: 'bytes',
		label: `size of ${EDITED_PATH}`
	});
	record(ctx, 'edit_bytes_written', {
		value: edit.bytes,
		unit: 'bytes',
		label: 'written by a one-line edit (files.save)',
		goal: { max: 2 * editedBytes + 2048, text: '<= 2 x edited_file_bytes + 2048' },
		note: `${edit.documents} documents: ${describeTables(edit.byTable)}`
	});
	record(ctx, 'snapshot_bytes', {
		value: snapshotBytes,
		unit: 'bytes',
		label: 'gzip of the whole project (snapshot per change)'
	});
	record(ctx, 'remix_bytes_written', {
		value: remix.bytes,
		unit: 'bytes',
		label: 'written to copy the project as a new one',
		goal: { max: 400 * files.length, text: '<= 400 per file' },
		note: `${Math.round(remix.bytes / files.length)} per file; ${remix.documents} documents: ${describeTables(remix.byTable)}`
	});
});
