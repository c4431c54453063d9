// Moving projects in and out as zip archives. Export happens in the browser from files.list
// and files.read; import is one mutation, so a refused archive leaves nothing behind.
import { v } from 'convex/values';
import { fail } from './errors';
import { userMutation } from './functions';
import { putBlob } from './model/blobs';
import { commitChanges } from './model/fileStore';
import { cleanProjectName, ensureRoomForProject } from './model/projects';
import { readProjectZip, ZipImportError, type ProjectFile } from '../src/lib/transfer/zip';

/** Creates a new project holding exactly the archive's (text) files, as one checkpoint. */
export const importZip = userMutation({
	args: { name: v.string(), zip: v.bytes() },
	returns: v.id('projects'),
	handler: async (ctx, args) => {
		const name = cleanProjectName(args.name);
		await ensureRoomForProject(ctx, ctx.userId);
		let files: ProjectFile[] = [];
		try {
			files = readProjectZip(new Uint8Array(args.zip));
		} catch (error) {
			if (error instanceof ZipImportError) fail(error.code, error.message);
			throw error;
		}
		const projectId = await ctx.db.insert('projects', {
			ownerId: ctx.userId,
			name,
			origin: { kind: 'blank' },
			visibility: 'private',
			checkpointSeq: 0,
			fileCount: 0,
			totalBytes: 0,
			updatedAt: Date.now()
		});
		const sizes = new Map<string, number>();
		const changes = [];
		for (const file of files) {
			// Content-addressed: content already stored anywhere is not stored again.
			const { hash, size } = await putBlob(ctx, file.content);
			sizes.set(hash, size);
			changes.push({ path: file.path, beforeHash: null, afterHash: hash });
		}
		const project = (await ctx.db.get(projectId))!;
		await commitChanges(ctx, project, changes, sizes, {
			kind: 'create',
			message: 'Imported from zip',
			authorId: ctx.userId,
			updatedBy: 'user'
		});
		return projectId;
	}
});
