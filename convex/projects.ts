// Projects: a person's apps. Creating from a template points file rows at the template's
// blobs, so only the first project ever made from a template stores its contents.
import { v } from 'convex/values';
import { internal } from './_generated/api';
import type { Doc } from './_generated/dataModel';
import { internalMutation } from './_generated/server';
import { fail } from './errors';
import { getOwnedProject, userMutation, userQuery } from './functions';
import { vOrigin, vVisibility } from './model/validators';
import {
	cleanProjectName,
	createProjectWithFiles,
	ensureRoomForProject,
	newShareToken,
	remixProject
} from './model/projects';
import { purgeDeployments } from './model/deployments';
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

export const create = userMutation({
	args: { name: v.optional(v.string()), templateId: v.optional(v.string()) },
	returns: v.id('projects'),
	handler: async (ctx, args) => {
		await ensureRoomForProject(ctx, ctx.userId);
		const template = args.templateId === undefined ? null : findTemplate(args.templateId);
		if (args.templateId !== undefined && !template) fail('NOT_FOUND', 'Template not found.');
		const name = cleanProjectName(args.name ?? template?.name ?? 'Untitled project');
		return await createProjectWithFiles(
			ctx,
			ctx.userId,
			{
				name,
				origin: template ? { kind: 'template', templateId: template.id } : { kind: 'blank' }
			},
			template?.files ?? [],
			{ message: `Created from template ${template?.name}`, updatedBy: 'template' }
		);
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
		await ctx.db.patch(projectId, { name: cleanProjectName(name), updatedAt: Date.now() });
		return null;
	}
});

/**
 * A copy of my own project, at its head or at one of its checkpoints, as a new project of mine.
 * (Someone else's project is remixed through its share link: shares.remix.)
 */
export const remix = userMutation({
	args: { projectId: v.id('projects'), checkpointId: v.optional(v.id('checkpoints')) },
	returns: v.id('projects'),
	handler: async (ctx, { projectId, checkpointId }) => {
		const source = await getOwnedProject(ctx, ctx.userId, projectId);
		return await remixProject(ctx, ctx.userId, source, checkpointId);
	}
});

/**
 * The name of the project mine was remixed from, while I may still see it (mine, or shared by
 * a live link); null otherwise, so a revoked project's later renames do not leak.
 */
export const remixSource = userQuery({
	args: { projectId: v.id('projects') },
	returns: v.union(v.object({ name: v.string(), token: v.union(v.string(), v.null()) }), v.null()),
	handler: async (ctx, { projectId }) => {
		const project = await getOwnedProject(ctx, ctx.userId, projectId);
		if (project.origin.kind !== 'remix') return null;
		const source = await ctx.db.get(project.origin.projectId);
		if (!source) return null;
		if (source.ownerId === ctx.userId) return { name: source.name, token: null };
		return source.shareToken ? { name: source.name, token: source.shareToken } : null;
	}
});

const vSharing = v.object({ visibility: vVisibility, shareToken: v.union(v.string(), v.null()) });

/** Who can see my project: its visibility and live share token, for the Share dialog. */
export const sharing = userQuery({
	args: { projectId: v.id('projects') },
	returns: vSharing,
	handler: async (ctx, { projectId }) => {
		const project = await getOwnedProject(ctx, ctx.userId, projectId);
		return { visibility: project.visibility, shareToken: project.shareToken ?? null };
	}
});

/**
 * Public projects are listed in the gallery, which links to them by share token, so making a
 * project public also makes sure it has one.
 */
export const setVisibility = userMutation({
	args: { projectId: v.id('projects'), visibility: vVisibility },
	returns: vSharing,
	handler: async (ctx, { projectId, visibility }) => {
		const project = await getOwnedProject(ctx, ctx.userId, projectId);
		const shareToken =
			visibility === 'public' ? (project.shareToken ?? newShareToken()) : project.shareToken;
		await ctx.db.patch(projectId, { visibility, shareToken });
		return { visibility, shareToken: shareToken ?? null };
	}
});

/** The project's read-only link token: the live one if there is one, else a new one. */
export const createShareLink = userMutation({
	args: { projectId: v.id('projects') },
	returns: v.string(),
	handler: async (ctx, { projectId }) => {
		const project = await getOwnedProject(ctx, ctx.userId, projectId);
		if (project.shareToken) return project.shareToken;
		const shareToken = newShareToken();
		await ctx.db.patch(projectId, { shareToken });
		return shareToken;
	}
});

/**
 * Kills the link: the old token answers NOT_FOUND from now on. The gallery reaches a project
 * only through its link, so revoking also makes the project private.
 */
export const revokeShareLink = userMutation({
	args: { projectId: v.id('projects') },
	returns: v.null(),
	handler: async (ctx, { projectId }) => {
		await getOwnedProject(ctx, ctx.userId, projectId);
		await ctx.db.patch(projectId, { shareToken: undefined, visibility: 'private' });
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
		if (budget > 0) budget -= await purgeDeployments(ctx, projectId, budget);
		if (budget <= 0) {
			await ctx.scheduler.runAfter(0, internal.projects.purgeDeletedUnchecked, { projectId });
		}
		return null;
	}
});
