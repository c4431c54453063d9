import { getAuthUserId } from '@convex-dev/auth/server';
import { v } from 'convex/values';
import { query } from './_generated/server';

/** The signed-in person, or null when signed out. Open to everyone by design. */
export const viewer = query({
	args: {},
	returns: v.union(
		v.null(),
		v.object({
			_id: v.id('users'),
			email: v.union(v.string(), v.null()),
			name: v.union(v.string(), v.null()),
			isGuest: v.boolean()
		})
	),
	handler: async (ctx) => {
		const userId = await getAuthUserId(ctx);
		if (!userId) return null;
		const user = await ctx.db.get(userId);
		if (!user) return null;
		return {
			_id: user._id,
			email: user.email ?? null,
			name: user.name ?? null,
			isGuest: user.isAnonymous === true
		};
	}
});

/** Which sign-in methods this deployment offers; GitHub only when its keys are set. */
export const signInOptions = query({
	args: {},
	returns: v.object({ github: v.boolean() }),
	handler: async () => ({
		github: Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET)
	})
});
