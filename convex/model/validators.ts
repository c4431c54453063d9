// Named validators for the builder's tables; function arguments derive from these.
import { v, type Infer } from 'convex/values';

export const vUpdatedBy = v.union(v.literal('user'), v.literal('agent'), v.literal('template'));
export type UpdatedBy = Infer<typeof vUpdatedBy>;

export const vVisibility = v.union(v.literal('private'), v.literal('public'));

/** Where a project came from: nothing, a template, or another project's checkpoint. */
export const vOrigin = v.union(
	v.object({ kind: v.literal('blank') }),
	v.object({ kind: v.literal('template'), templateId: v.string() }),
	v.object({
		kind: v.literal('remix'),
		projectId: v.id('projects'),
		checkpointId: v.id('checkpoints')
	})
);
export type Origin = Infer<typeof vOrigin>;

export const vCheckpointKind = v.union(
	v.literal('create'),
	v.literal('save'),
	v.literal('agent'),
	v.literal('restore'),
	v.literal('remix')
);
export type CheckpointKind = Infer<typeof vCheckpointKind>;

/**
 * One change in a save batch. `baseHash` is the hash the writer last saw (null: the path
 * must not exist yet); a mismatch is a conflict, never an overwrite.
 */
export const vFileEdit = v.union(
	v.object({
		kind: v.literal('write'),
		path: v.string(),
		content: v.string(),
		baseHash: v.union(v.string(), v.null())
	}),
	v.object({ kind: v.literal('delete'), path: v.string(), baseHash: v.string() }),
	v.object({ kind: v.literal('rename'), from: v.string(), to: v.string(), baseHash: v.string() })
);
export type FileEdit = Infer<typeof vFileEdit>;

/** A path's change inside one checkpoint; null hashes mean "did not exist". */
export const vFileChange = v.object({
	path: v.string(),
	beforeHash: v.union(v.string(), v.null()),
	afterHash: v.union(v.string(), v.null())
});
export type FileChange = Infer<typeof vFileChange>;

export const vFileMeta = v.object({
	path: v.string(),
	hash: v.string(),
	size: v.number(),
	updatedAt: v.number(),
	updatedBy: vUpdatedBy
});
export type FileMeta = Infer<typeof vFileMeta>;

/** What a history list shows of a checkpoint. */
export const vCheckpointSummary = v.object({
	_id: v.id('checkpoints'),
	_creationTime: v.number(),
	seq: v.number(),
	kind: vCheckpointKind,
	message: v.string(),
	changeCount: v.number()
});
