// Read-only access to a project by its share token, for anyone, signed in or not, and the
// gallery of public projects. The token is the capability: these functions never take a
// project id and never return the owner's id, email or the project's id.
import { v } from 'convex/values';
import { query } from './_generated/server';
import { userMutation } from './functions';
import { readProjectBlobs } from './model/fileStore';
import { getSharedProject, remixProject } from './model/projects';
import { vCheckpointSummary, vFileMeta, vOrigin } from './model/validators';
import { recentCheckpoints } from './model/history';
import { LIMITS } from '../src/lib/shared/limits';

const GALLERY_PAGE = 50;

/** The shared project's name, origin and file metadata (contents are read by hash). */
export const get = query({
	args: { token: v.string() },
	returns: v.object({
		name: v.string(),
		origin: vOrigin,
		updatedAt: v.number(),
		files: v.array(vFileMeta)
	}),
	handler: async (ctx, { token }) => {
		const project = await getSharedProject(ctx, token);
		const rows = await ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) => q.eq('projectId', project._id))
			.take(LIMITS.filesPerProject);
		return {
			name: project.name,
			origin: project.origin,
			updatedAt: project.updatedAt,
			files: rows.map(({ path, hash, size, updatedAt, updatedBy }) => ({
				path,
				hash,
				size,
				updatedAt,
				updatedBy
			}))
		};
	}
});

/** Contents by hash, only of hashes that were ever part of the shared project. */
export const read = query({
	args: { token: v.string(), hashes: v.array(v.string()) },
	returns: v.array(v.object({ hash: v.string(), content: v.string() })),
	handler: async (ctx, { token, hashes }) => {
		const project = await getSharedProject(ctx, token);
		return await readProjectBlobs(ctx, project._id, hashes);
	}
});

/** The shared project's history, newest first. */
export const checkpoints = query({
	args: { token: v.string() },
	returns: v.array(vCheckpointSummary),
	handler: async (ctx, { token }) => {
		const project = await getSharedProject(ctx, token);
		return await recentCheckpoints(ctx, project._id);
	}
});

/** A copy of the shared project at its head, as a new project of the caller's (guests too). */
export const remix = userMutation({
	args: { token: v.string() },
	returns: v.id('projects'),
	handler: async (ctx, { token }) => {
		const source = await getSharedProject(ctx, token);
		return await remixProject(ctx, ctx.userId, source);
	}
});

/**
 * Public projects, most recently updated first, with the token that opens them. The owner is
 * shown by display name only, and never when that name is an email address.
 */
export const gallery = query({
	args: {},
	returns: v.array(
		v.object({
			token: v.string(),
			name: v.string(),
			fileCount: v.number(),
			updatedAt: v.number(),
			ownerName: v.union(v.string(), v.null())
		})
	),
	handler: async (ctx) => {
		const projects = await ctx.db
			.query('projects')
			.withIndex('by_visibility_and_updatedAt', (q) => q.eq('visibility', 'public'))
			.order('desc')
			.take(GALLERY_PAGE);
		const out = [];
		for (const p of projects) {
			// setVisibility gives every public project a token; one without is not reachable.
			if (!p.shareToken) continue;
			const owner = await ctx.db.get(p.ownerId);
			const name = owner?.name?.trim() ?? '';
			out.push({
				token: p.shareToken,
				name: p.name,
				fileCount: p.fileCount,
				updatedAt: p.updatedAt,
				ownerName: name && !name.includes('@') ? name : null
			});
		}
		return out;
	}
});
