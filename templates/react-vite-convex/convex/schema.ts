import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';

export default defineSchema({
	// Newest-first ordering uses the built-in _creationTime; by_done lets clearCompleted read only
	// the finished tasks.
	tasks: defineTable({
		text: v.string(),
		done: v.boolean()
	}).index('by_done', ['done'])
});
