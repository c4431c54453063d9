import { ConvexError, v } from 'convex/values';
import { mutation, query } from './_generated/server';
import { MAX_IDEA_LENGTH, MAX_LISTED_IDEAS } from './limits';

const idea = v.object({
	_id: v.id('ideas'),
	_creationTime: v.number(),
	text: v.string(),
	done: v.boolean()
});

/** The shared list, newest first. Every open page re-renders when any idea changes. */
export const list = query({
	args: {},
	returns: v.array(idea),
	handler: async (ctx) => {
		return await ctx.db.query('ideas').order('desc').take(MAX_LISTED_IDEAS);
	}
});

export const add = mutation({
	args: { text: v.string() },
	returns: v.id('ideas'),
	handler: async (ctx, args) => {
		// Validators only check types, so the content rules live here, where no client can skip them.
		const text = args.text.trim();
		if (text.length === 0) throw new ConvexError('An idea cannot be empty.');
		if (text.length > MAX_IDEA_LENGTH) {
			throw new ConvexError(`An idea can be at most ${MAX_IDEA_LENGTH} characters.`);
		}
		return await ctx.db.insert('ideas', { text, done: false });
	}
});

export const toggle = mutation({
	args: { id: v.id('ideas') },
	returns: v.null(),
	handler: async (ctx, args) => {
		const existing = await ctx.db.get(args.id);
		// Another tab may have deleted it a moment ago.
		if (existing === null) throw new ConvexError('That idea no longer exists.');
		await ctx.db.patch(args.id, { done: !existing.done });
		return null;
	}
});

export const remove = mutation({
	args: { id: v.id('ideas') },
	returns: v.null(),
	handler: async (ctx, args) => {
		// Deleting twice (two tabs, a double click) is not an error: the result is the same.
		const existing = await ctx.db.get(args.id);
		if (existing !== null) await ctx.db.delete(args.id);
		return null;
	}
});
