// Moving projects in and out as zip archives. Export happens in the browser from files.list
// and files.read; import is one mutation, so a refused archive leaves nothing behind.
import { v } from 'convex/values';
import { fail } from './errors';
import { userMutation } from './functions';
import { cleanProjectName, createProjectWithFiles, ensureRoomForProject } from './model/projects';
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
		return await createProjectWithFiles(
			ctx,
			ctx.userId,
			{ name, origin: { kind: 'blank' } },
			files,
			{ message: 'Imported from zip', updatedBy: 'user' }
		);
	}
});
