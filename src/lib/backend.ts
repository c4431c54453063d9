// Which Convex backend the builder talks to, set by `npm run dev` (or the operator).
import { env } from '$env/dynamic/public';

export const backend = {
	url: env.PUBLIC_CONVEX_URL ?? '',
	/** True when the backend is the in-memory emulator: data is lost when it stops. */
	isEmulator: env.PUBLIC_CONVEX_EMULATOR === '1'
};
