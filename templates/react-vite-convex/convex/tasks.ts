import { ConvexError, v } from 'convex/values';
import { mutation, query } from './_generated/server';
import { MAX_CLEARED_TASKS, MAX_LISTED_TASKS, MAX_TASK_LENGTH } from './limits';

const task = v.object({
	_id: v.id('tasks'),
	_creationTime: v.number(),
	text: v.string(),
	done: v.boolean()
});

/** The shared list, newest first. Every open page re-renders when any task changes. */
export const list = query({
	args: {},
	returns: v.array(task),
	handler: async (ctx) => {
		return await ctx.db.query('tasks').order('desc').take(MAX_LISTED_TASKS);
	}
});

export const add = mutation({
	args: { text: v.string() },
	returns: v.id('tasks'),
	handler: async (ctx, args) => {
		// Validators only check types, so the content rules live here, where no client can skip them.
		const text = args.text.trim();
		if (text.length === 0) throw new ConvexError('A task cannot be empty.');
		if (text.length > MAX_TASK_LENGTH) {
			throw new ConvexError(`A task can be at most ${MAX_TASK_LENGTH} characters.`);
		}
		return await ctx.db.insert('tasks', { text, done: false });
	}
});

export const setDone = mutation({
	args: { id: v.id('tasks'), done: v.boolean() },
	returns: v.null(),
	handler: async (ctx, args) => {
		// An explicit value rather than a toggle: two quick clicks, or two tabs, agree on the result.
		const existing = await ctx.db.get(args.id);
		// Another tab may have deleted it a moment ago.
		if (existing === null) throw new ConvexError('That task no longer exists.');
		await ctx.db.patch(args.id, { done: args.done });
		return null;
	}
});

export const remove = mutation({
	args: { id: v.id('tasks') },
	returns: v.null(),
	handler: async (ctx, args) => {
		// Deleting twice (two tabs, a double click) is not an error: the result is the same.
		const existing = await ctx.db.get(args.id);
		if (existing !== null) await ctx.db.delete(args.id);
		return null;
	}
});

/** Deletes finished tasks, at most MAX_CLEARED_TASKS per call. Returns how many it deleted. */
export const clearCompleted = mutation({
	args: {},
	returns: v.number(),
	handler: async (ctx) => {
		const done = await ctx.db
			.query('tasks')
			.withIndex('by_done', (q) => q.eq('done', true))
			.take(MAX_CLEARED_TASKS);
		for (const t of done) await ctx.db.delete(t._id);
		return done.length;
	}
});
