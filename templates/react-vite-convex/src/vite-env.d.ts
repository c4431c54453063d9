/// <reference types="vite/client" />

interface ImportMetaEnv {
	/** The Convex deployment URL. Optional so the app can explain what is missing. */
	readonly VITE_CONVEX_URL?: string;
}

interface ImportMeta {
	readonly env: ImportMetaEnv;
}
