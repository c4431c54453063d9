// Checkpoints and the file changes they record. Everything about history is computed from
// fileChanges rows, so a save costs O(changed files) and never copies the project.
import type { Doc, Id } from '../_generated/dataModel';
import type { MutationCtx, QueryCtx } from '../_generated/server';
import type { CheckpointKind, FileChange } from './validators';

/** Checkpoints that start a project from existing content: their changes are derived. */
const BASELINE_KINDS: CheckpointKind[] = ['create', 'remix'];

export async function recordCheckpoint(
	ctx: MutationCtx,
	project: Doc<'projects'>,
	checkpoint: { kind: CheckpointKind; message: string; authorId?: Id<'users'>; stepKey?: string },
	changes: FileChange[]
): Promise<Id<'checkpoints'>> {
	const seq = project.checkpointSeq + 1;
	const checkpointId = await ctx.db.insert('checkpoints', {
		projectId: project._id,
		seq,
		...checkpoint,
		changeCount: changes.length
	});
	if (BASELINE_KINDS.includes(checkpoint.kind)) {
		if (seq !== 1) throw new Error('a baseline checkpoint must be the first');
		return checkpointId;
	}
	for (const change of changes) {
		await ctx.db.insert('fileChanges', {
			projectId: project._id,
			checkpointId,
			seq,
			...change
		});
	}
	return checkpointId;
}

/**
 * Folds `changes` into the checkpoint of agent step `stepKey`, if it is still the project's
 * newest: a path changed twice keeps the step's first before-hash and takes the new after-hash,
 * and a path back where the step found it is dropped. Returns null when a new checkpoint is
 * needed (first write of the step, or someone saved since): appending to an older checkpoint
 * would rewrite history that later checkpoints were computed from.
 */
export async function appendToStepCheckpoint(
	ctx: MutationCtx,
	project: Doc<'projects'>,
	stepKey: string,
	changes: FileChange[]
): Promise<Id<'checkpoints'> | null> {
	const checkpoint = await ctx.db
		.query('checkpoints')
		.withIndex('by_projectId_and_stepKey', (q) =>
			q.eq('projectId', project._id).eq('stepKey', stepKey)
		)
		.order('desc')
		.first();
	if (!checkpoint || checkpoint.seq !== project.checkpointSeq) return null;
	const rows = await ctx.db
		.query('fileChanges')
		.withIndex('by_checkpointId', (q) => q.eq('checkpointId', checkpoint._id))
		.collect();
	const byPath = new Map(rows.map((row) => [row.path, row]));
	for (const change of changes) {
		const row = byPath.get(change.path);
		if (!row) {
			const fields = { projectId: project._id, checkpointId: checkpoint._id, seq: checkpoint.seq };
			const _id = await ctx.db.insert('fileChanges', { ...fields, ...change });
			byPath.set(change.path, { _id, _creationTime: Date.now(), ...fields, ...change });
		} else if (row.beforeHash === change.afterHash) {
			await ctx.db.delete(row._id);
			byPath.delete(change.path);
		} else {
			await ctx.db.patch(row._id, { afterHash: change.afterHash });
		}
	}
	await ctx.db.patch(checkpoint._id, {
		changeCount: byPath.size,
		message: stepMessage([...byPath.keys()])
	});
	return checkpoint._id;
}

/** An agent step's checkpoint message, from the paths it changed. */
export function stepMessage(paths: string[]): string {
	if (paths.length === 0) return 'Agent step: no net change';
	if (paths.length === 1) return `Agent changed ${paths[0]}`;
	const sorted = [...paths].sort();
	const listed = sorted.slice(0, 3).join(', ') + (sorted.length > 3 ? ', …' : '');
	return `Agent changed ${paths.length} files: ${listed}`.slice(0, 200);
}

export async function getProjectCheckpoint(
	ctx: QueryCtx,
	projectId: Id<'projects'>,
	checkpointId: Id<'checkpoints'>
) {
	const checkpoint = await ctx.db.get(checkpointId);
	return checkpoint && checkpoint.projectId === projectId ? checkpoint : null;
}

/**
 * How each path changed between the state right after checkpoint `fromSeq` and right after
 * `toSeq` (either order). Cost is the number of changes in between, not the project size.
 */
export async function changesBetween(
	ctx: QueryCtx,
	projectId: Id<'projects'>,
	fromSeq: number,
	toSeq: number
): Promise<FileChange[]> {
	const [lo, hi] = fromSeq <= toSeq ? [fromSeq, toSeq] : [toSeq, fromSeq];
	if (lo < 1) {
		// From nothing: everything that existed at `hi` was added.
		const state = await stateAt(ctx, projectId, hi);
		const added = [...state].map(([path, hash]) => ({ path, beforeHash: null, afterHash: hash }));
		const changes =
			fromSeq <= toSeq
				? added
				: added.map((c) => ({ path: c.path, beforeHash: c.afterHash, afterHash: null }));
		return changes.sort((a, b) => a.path.localeCompare(b.path));
	}
	const rows = await ctx.db
		.query('fileChanges')
		.withIndex('by_projectId_and_seq', (q) =>
			q.eq('projectId', projectId).gt('seq', lo).lte('seq', hi)
		)
		.collect();
	// Oldest first: the first change after `lo` holds the state at lo, the last the state at hi.
	const byPath = new Map<string, FileChange>();
	for (const row of rows) {
		const seen = byPath.get(row.path);
		if (seen) seen.afterHash = row.afterHash;
		else
			byPath.set(row.path, {
				path: row.path,
				beforeHash: row.beforeHash,
				afterHash: row.afterHash
			});
	}
	const forward = [...byPath.values()].filter((c) => c.beforeHash !== c.afterHash);
	const changes =
		fromSeq <= toSeq
			? forward
			: forward.map((c) => ({ path: c.path, beforeHash: c.afterHash, afterHash: c.beforeHash }));
	return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Every path's hash right after checkpoint `seq`: today's file rows, rolled back through the
 * changes made since. Costs O(project + later history); used to diff against nothing and to
 * remix an older checkpoint.
 */
export async function stateAt(ctx: QueryCtx, projectId: Id<'projects'>, seq: number) {
	const state = new Map<string, string>();
	const files = await ctx.db
		.query('files')
		.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId))
		.collect();
	for (const f of files) state.set(f.path, f.hash);
	const later = await ctx.db
		.query('fileChanges')
		.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId).gt('seq', seq))
		.order('desc')
		.collect();
	// Newest first, so the oldest change after `seq` is applied last and wins.
	for (const change of later) {
		if (change.beforeHash === null) state.delete(change.path);
		else state.set(change.path, change.beforeHash);
	}
	return state;
}

const HISTORY_PAGE = 100;

/** A project's newest checkpoints, newest first, as history lists show them. */
export async function recentCheckpoints(ctx: QueryCtx, projectId: Id<'projects'>) {
	const rows = await ctx.db
		.query('checkpoints')
		.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId))
		.order('desc')
		.take(HISTORY_PAGE);
	return rows.map(({ _id, _creationTime, seq, kind, message, changeCount }) => ({
		_id,
		_creationTime,
		seq,
		kind,
		message,
		changeCount
	}));
}
