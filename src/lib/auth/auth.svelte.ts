// The browser half of Convex Auth for Svelte: keeps the JWT and refresh token, refreshes
// under a cross-tab lock, follows OAuth redirects, and hands tokens to the Convex client
// through convex-svelte's setupAuth. Convex Auth ships this for React only.
import type { ConvexClient } from 'convex/browser';
import { setupAuth, useConvexClient } from 'convex-svelte';
import { getContext, setContext, untrack } from 'svelte';
import { api } from '$convex/_generated/api';

type Tokens = { token: string; refreshToken: string };
type SignInResult = { tokens?: Tokens | null; redirect?: string; verifier?: string };

const KEY = { jwt: 'auth.jwt', refresh: 'auth.refreshToken', verifier: 'auth.oauthVerifier' };
const CONTEXT = Symbol('auth');

export class AuthSession {
	#client: ConvexClient;
	#namespace: string;
	#token = $state<string | null>(null);
	#loading = $state(true);
	// Derived, so that readers rerun when someone signs in or out, not on every token refresh.
	#signedIn = $derived(this.#token !== null);

	constructor(client: ConvexClient, namespace: string) {
		this.#client = client;
		this.#namespace = namespace.replace(/[^a-zA-Z0-9]/g, '');
	}

	get isLoading() {
		return this.#loading;
	}
	get isAuthenticated() {
		return this.#signedIn;
	}

	/** Loads stored tokens, or finishes an OAuth sign-in when the URL carries `?code=`. */
	async start() {
		window.addEventListener('storage', (event) => {
			// Another tab signed in, refreshed or signed out.
			if (event.key === this.#key(KEY.jwt)) this.#token = event.newValue;
		});
		const url = new URL(window.location.href);
		const code = url.searchParams.get('code');
		if (code) {
			url.searchParams.delete('code');
			history.replaceState(history.state, '', url);
			const verifier = this.#get(KEY.verifier) ?? undefined;
			this.#remove(KEY.verifier);
			try {
				const result = await this.#call({ params: { code }, verifier });
				this.#setTokens(result.tokens ?? null);
			} catch {
				this.#setTokens(null);
			}
		} else {
			this.#token = this.#get(KEY.jwt);
		}
		this.#loading = false;
	}

	/**
	 * Signs in with a provider ('password', 'anonymous', 'github'). While a guest is signed
	 * in, the call carries the guest's token, which is how the server upgrades that guest.
	 */
	async signIn(provider: string, params: Record<string, string> = {}) {
		const result = await this.#call({ provider, params });
		if (result.redirect !== undefined) {
			this.#set(KEY.verifier, result.verifier ?? '');
			window.location.href = result.redirect;
			return;
		}
		this.#setTokens(result.tokens ?? null);
	}

	async signOut() {
		try {
			await this.#client.action(api.auth.signOut, {});
		} catch {
			// The session may already be gone server-side; signing out locally still matters.
		}
		this.#setTokens(null);
		// Without this the socket can keep the old identity (seen with convex 1.48).
		this.#client.client.clearAuth();
	}

	/** What the Convex client calls whenever it needs a token. */
	fetchAccessToken = async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
		// Untracked: setupAuth's effect calls this synchronously (through setAuth), and a tracked
		// read would rerun that effect on every refresh, each rerun ending in another refresh.
		const current = untrack(() => this.#token);
		if (!forceRefreshToken) return current;
		const before = current;
		return await withLock(this.#key(KEY.refresh), async () => {
			if (this.#token !== before) return this.#token; // another tab refreshed meanwhile
			const refreshToken = this.#get(KEY.refresh);
			if (!refreshToken) return null;
			try {
				const result = await this.#call({ refreshToken });
				this.#setTokens(result.tokens ?? null);
			} catch {
				this.#setTokens(null);
			}
			return this.#token;
		});
	};

	async #call(args: Record<string, unknown>): Promise<SignInResult> {
		return (await this.#client.action(api.auth.signIn, args)) as SignInResult;
	}

	#setTokens(tokens: Tokens | null) {
		if (tokens) {
			this.#set(KEY.jwt, tokens.token);
			this.#set(KEY.refresh, tokens.refreshToken);
		} else {
			this.#remove(KEY.jwt);
			this.#remove(KEY.refresh);
		}
		this.#token = tokens?.token ?? null;
	}

	#key(name: string) {
		return `${name}_${this.#namespace}`;
	}
	#get(name: string) {
		return localStorage.getItem(this.#key(name));
	}
	#set(name: string, value: string) {
		localStorage.setItem(this.#key(name), value);
	}
	#remove(name: string) {
		localStorage.removeItem(this.#key(name));
	}
}

async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
	if (typeof navigator !== 'undefined' && navigator.locks) {
		return await navigator.locks.request(name, work);
	}
	return await work();
}

/** Creates the session for this app, wires it into the Convex client, and provides it. */
export function setupAuthSession(namespace: string): AuthSession {
	const session = new AuthSession(useConvexClient(), namespace);
	setupAuth(() => ({
		isLoading: session.isLoading,
		isAuthenticated: session.isAuthenticated,
		fetchAccessToken: session.fetchAccessToken
	}));
	setContext(CONTEXT, session);
	return session;
}

export function useAuthSession(): AuthSession {
	return getContext(CONTEXT);
}
