import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';

export default defineSchema({
	// Newest-first ordering uses the built-in _creationTime, so no extra index is needed.
	ideas: defineTable({
		text: v.string(),
		done: v.boolean()
	})
});
