import { v } from 'convex/values';
import { query } from './_generated/server';
import { templates } from './model/templates';

/** The template catalog. Public: templates are not anyone's data. */
export const list = query({
	args: {},
	returns: v.array(
		v.object({
			id: v.string(),
			name: v.string(),
			description: v.string(),
			tags: v.array(v.string()),
			fileCount: v.number()
		})
	),
	handler: async () =>
		templates.map((t) => ({
			id: t.id,
			name: t.name,
			description: t.description,
			tags: t.tags,
			fileCount: t.files.length
		}))
});
