// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}

	interface ImportMetaEnv {
		/** The Convex deployment URL. Optional so the app can explain what is missing. */
		readonly VITE_CONVEX_URL?: string;
	}
}

export {};
