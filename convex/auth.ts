// Accounts: email + password, one-click guests, and GitHub when its OAuth keys are set.
// A guest who signs up keeps their user id (and so their projects): the signed-in guest's
// user row is upgraded in place instead of a new user being created.
import GitHub from '@auth/core/providers/github';
import { Anonymous } from '@convex-dev/auth/providers/Anonymous';
import { Password } from '@convex-dev/auth/providers/Password';
import { convexAuth, getAuthUserId } from '@convex-dev/auth/server';
import { ConvexError } from 'convex/values';
import type { MutationCtx } from './_generated/server';

const githubConfigured = Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET);

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
	providers: [
		Password({
			profile(params) {
				const email = String(params.email ?? '')
					.trim()
					.toLowerCase();
				if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
					throw new ConvexError({ code: 'INVALID_ARGUMENT', message: 'Enter a valid email.' });
				}
				return { email };
			},
			validatePasswordRequirements(password) {
				if (password.length < 8 || password.length > 128) {
					throw new ConvexError({
						code: 'INVALID_ARGUMENT',
						message: 'Use a password of 8 to 128 characters.'
					});
				}
			}
		}),
		Anonymous,
		...(githubConfigured ? [GitHub] : [])
	],
	callbacks: {
		async createOrUpdateUser(generic, args) {
			const ctx = generic as unknown as MutationCtx;
			const profile = {
				...(typeof args.profile.email === 'string' ? { email: args.profile.email } : {}),
				...(typeof args.profile.name === 'string' ? { name: args.profile.name } : {}),
				...(typeof args.profile.image === 'string' ? { image: args.profile.image } : {})
			};
			if (args.existingUserId) return args.existingUserId;

			const isGuestSignIn = args.provider.id === 'anonymous';
			if (!isGuestSignIn) {
				const current = await getAuthUserId(ctx);
				const currentUser = current ? await ctx.db.get(current) : null;
				if (currentUser?.isAnonymous) {
					await ctx.db.patch(currentUser._id, { ...profile, isAnonymous: false });
					return currentUser._id;
				}
			}
			return await ctx.db.insert('users', { ...profile, isAnonymous: isGuestSignIn });
		}
	}
});
