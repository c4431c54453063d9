// Projects: a person's apps. Creating from a template points file rows at the template's
// blobs, so only the first project ever made from a template stores its contents.
import { v } from 'convex/values';
import { internal } from './_generated/api';
import type { Doc, Id } from './_generated/dataModel';
import { internalMutation, type MutationCtx } from './_generated/server';
import { fail } from './errors';
import { getOwnedProject, userMutation, userQuery } from './functions';
import { putBlob } from './model/blobs';
import { commitChanges } from './model/fileStore';
import { vOrigin, vVisibility } from './model/validators';
import { findTemplate } from './model/templates';
import { LIMITS } from '../src/lib/shared/limits';

const vProjectSummary = v.object({
	_id: v.id('projects'),
	_creationTime: v.number(),
	name: v.string(),
	origin: vOrigin,
	visibility: vVisibility,
	fileCount: v.number(),
	updatedAt: v.number(),
	headCheckpointId: v.union(v.id('checkpoints'), v.null())
});

/** What the UI sees of a project: no owner id, no share token. */
function toSummary(p: Doc<'projects'>) {
	return {
		_id: p._id,
		_creationTime: p._creationTime,
		name: p.name,
		origin: p.origin,
		visibility: p.visibility,
		fileCount: p.fileCount,
		updatedAt: p.updatedAt,
		headCheckpointId: p.headCheckpointId ?? null
	};
}

function cleanName(name: string): string {
	const trimmed = name.normalize('NFC').trim().replace(/\s+/g, ' ');
	// Control and bidi-override characters make names that display as something else.
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(trimmed)) {
		fail('INVALID_ARGUMENT', 'Project names cannot contain control characters.');
	}
	if (trimmed.length === 0) fail('INVALID_ARGUMENT', 'A project needs a name.');
	if (trimmed.length > LIMITS.projectNameLength) {
		fail('INVALID_ARGUMENT', `Project names are at most ${LIMITS.projectNameLength} characters.`);
	}
	return trimmed;
}

async function ensureRoomForProject(ctx: MutationCtx, userId: Id<'users'>) {
	const owned = await ctx.db
		.query('projects')
		.withIndex('by_ownerId_and_updatedAt', (q) => q.eq('ownerId', userId))
		.take(LIMITS.projectsPerUser);
	if (owned.length >= LIMITS.projectsPerUser) {
		fail('TOO_MANY', `You can have at most ${LIMITS.projectsPerUser} projects.`);
	}
}

export const create = userMutation({
	args: { name: v.optional(v.string()), templateId: v.optional(v.string()) },
	returns: v.id('projects'),
	handler: async (ctx, args) => {
		await ensureRoomForProject(ctx, ctx.userId);
		const template = args.templateId === undefined ? null : findTemplate(args.templateId);
		if (args.templateId !== undefined && !template) fail('NOT_FOUND', 'Template not found.');
		const name = cleanName(args.name ?? template?.name ?? 'Untitled project');
		const projectId = await ctx.db.insert('projects', {
			ownerId: ctx.userId,
			name,
			origin: template ? { kind: 'template', templateId: template.id } : { kind: 'blank' },
			visibility: 'private',
			checkpointSeq: 0,
			fileCount: 0,
			totalBytes: 0,
			updatedAt: Date.now()
		});
		if (template) {
			const sizes = new Map<string, number>();
			const changes = [];
			for (const file of template.files) {
				const { hash, size } = await putBlob(ctx, file.content);
				sizes.set(hash, size);
				changes.push({ path: file.path, beforeHash: null, afterHash: hash });
			}
			const project = (await ctx.db.get(projectId))!;
			await commitChanges(ctx, project, changes, sizes, {
				kind: 'create',
				message: `Created from template ${template.name}`,
				authorId: ctx.userId,
				updatedBy: 'template'
			});
		}
		return projectId;
	}
});

export const list = userQuery({
	args: {},
	returns: v.array(vProjectSummary),
	handler: async (ctx) => {
		const projects = await ctx.db
			.query('projects')
			.withIndex('by_ownerId_and_updatedAt', (q) => q.eq('ownerId', ctx.userId))
			.order('desc')
			.take(LIMITS.projectsPerUser);
		return projects.map(toSummary);
	}
});

export const get = userQuery({
	args: { projectId: v.id('projects') },
	returns: vProjectSummary,
	handler: async (ctx, { projectId }) => {
		return toSummary(await getOwnedProject(ctx, ctx.userId, projectId));
	}
});

export const rename = userMutation({
	args: { projectId: v.id('projects'), name: v.string() },
	returns: v.null(),
	handler: async (ctx, { projectId, name }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		await ctx.db.patch(projectId, { name: cleanName(name), updatedAt: Date.now() });
		return null;
	}
});

/** Deletes the project at once; its files and history are purged in the background. */
export const remove = userMutation({
	args: { projectId: v.id('projects') },
	returns: v.null(),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		await ctx.db.delete(projectId);
		await ctx.scheduler.runAfter(0, internal.projects.purgeDeletedUnchecked, { projectId });
		return null;
	}
});

const PURGE_BATCH = 500;

/** Deletes a removed project's rows a batch at a time, rescheduling until none are left. */
export const purgeDeletedUnchecked = internalMutation({
	args: { projectId: v.id('projects') },
	returns: v.null(),
	handler: async (ctx, { projectId }) => {
		if (await ctx.db.get(projectId)) return null; // only ever purge deleted projects
		let budget = PURGE_BATCH;
		const files = await ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId))
			.take(budget);
		for (const row of files) await ctx.db.delete(row._id);
		budget -= files.length;
		const changes = await ctx.db
			.query('fileChanges')
			.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId))
			.take(budget);
		for (const row of changes) await ctx.db.delete(row._id);
		budget -= changes.length;
		const checkpoints = await ctx.db
			.query('checkpoints')
			.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId))
			.take(budget);
		for (const row of checkpoints) await ctx.db.delete(row._id);
		budget -= checkpoints.length;
		if (budget <= 0) {
			await ctx.scheduler.runAfter(0, internal.projects.purgeDeletedUnchecked, { projectId });
		}
		return null;
	}
});
