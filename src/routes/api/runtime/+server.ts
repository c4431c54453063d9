import { json } from '@sveltejs/kit';
import { runtimeConfig } from '$lib/server/runtime/config';

/** Whether this server offers the local runtime (the browser otherwise uses WebContainer). */
export function GET() {
	return json({ enabled: runtimeConfig().enabled });
}
