import { authTables } from '@convex-dev/auth/server';
import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';
import { agentTables } from './agent/schema';
import { deployTables } from './deploy/schema';
import { vCheckpointKind, vOrigin, vUpdatedBy, vVisibility } from './model/validators';

export default defineSchema({
	...authTables,
	...agentTables,
	...deployTables,

	// One per project. fileCount/totalBytes mirror the `files` rows (kept in the same
	// mutation) so limits are checked without scanning; checkpointSeq is the last seq used.
	// `shareToken` is unique when set (128+ random bits); a public project always has one.
	projects: defineTable({
		ownerId: v.id('users'),
		name: v.string(),
		origin: vOrigin,
		visibility: vVisibility,
		shareToken: v.optional(v.string()),
		headCheckpointId: v.optional(v.id('checkpoints')),
		checkpointSeq: v.number(),
		fileCount: v.number(),
		totalBytes: v.number(),
		updatedAt: v.number()
	})
		.index('by_ownerId_and_updatedAt', ['ownerId', 'updatedAt'])
		.index('by_shareToken', ['shareToken'])
		.index('by_visibility_and_updatedAt', ['visibility', 'updatedAt']),

	// Content-addressed file contents: `hash` is the sha256 hex of `content`. Immutable and
	// shared by every project that holds the same bytes, so copying a project copies no content.
	blobs: defineTable({
		hash: v.string(),
		content: v.string(),
		size: v.number()
	}).index('by_hash', ['hash']),

	// One row per path per project; the project's current tree. `hash` always names a blob.
	files: defineTable({
		projectId: v.id('projects'),
		path: v.string(),
		hash: v.string(),
		size: v.number(),
		updatedAt: v.number(),
		updatedBy: vUpdatedBy
	})
		.index('by_projectId_and_path', ['projectId', 'path'])
		.index('by_projectId_and_hash', ['projectId', 'hash']),

	// A point in a project's history: each save batch, agent step, restore or remix. `seq`
	// grows by one per checkpoint within a project. A baseline checkpoint (kind create or remix,
	// always seq 1) stores no fileChanges: it is the project's baseline, derived from the file rows
	// and later changes, so copying a project writes one row per file, not two. An agent step's
	// writes share one checkpoint, found by `stepKey` while it is still the newest.
	checkpoints: defineTable({
		projectId: v.id('projects'),
		seq: v.number(),
		kind: vCheckpointKind,
		message: v.string(),
		authorId: v.optional(v.id('users')),
		changeCount: v.number(),
		stepKey: v.optional(v.string())
	})
		.index('by_projectId_and_seq', ['projectId', 'seq'])
		.index('by_projectId_and_stepKey', ['projectId', 'stepKey']),

	// The paths one checkpoint changed, with the hash before and after (null: absent).
	// Replaying these is how history, diff and restore work without snapshots.
	fileChanges: defineTable({
		projectId: v.id('projects'),
		checkpointId: v.id('checkpoints'),
		seq: v.number(),
		path: v.string(),
		beforeHash: v.union(v.string(), v.null()),
		afterHash: v.union(v.string(), v.null())
	})
		.index('by_checkpointId', ['checkpointId'])
		.index('by_projectId_and_seq', ['projectId', 'seq'])
		.index('by_projectId_and_afterHash', ['projectId', 'afterHash'])
		.index('by_projectId_and_beforeHash', ['projectId', 'beforeHash']),

	// A person's key for one model provider: at most one row per (userId, provider). The key is
	// only ever stored sealed with AES-256-GCM under the deployment's SECRETS_KEY (never in
	// plaintext); no public function returns `ciphertext` or `iv`, only `last4`. `baseURL` is the
	// OpenAI-compatible server's address, a setting rather than a secret.
	secrets: defineTable({
		userId: v.id('users'),
		provider: v.string(),
		ciphertext: v.string(),
		iv: v.string(),
		keyId: v.string(),
		last4: v.string(),
		baseURL: v.optional(v.string()),
		updatedAt: v.number()
	}).index('by_userId_and_provider', ['userId', 'provider'])
});
