// Control-API client for tests that run in another process than the fake LLM (Playwright,
// Convex-side tests). Only `fetch`: no Node built-ins, so it also runs in edge runtimes.
import type { JsonTurn } from './script';
import type { RecordedRequest } from './server';

/** Accepts the base URL (`http://127.0.0.1:3320/v1`) or the bare origin. */
function controlUrl(baseUrl: string, route: string): string {
	return new URL(route, new URL(baseUrl).origin).toString();
}

async function call<T>(baseUrl: string, route: string, init?: RequestInit): Promise<T> {
	const response = await fetch(controlUrl(baseUrl, route), init);
	const text = await response.text();
	if (!response.ok) throw new Error(`fake LLM ${route} failed (${response.status}): ${text}`);
	return JSON.parse(text) as T;
}

/** Replaces the fake LLM's queue of turns (JSON-able turns only: no `expect` functions). */
export async function scriptFakeLlm(baseUrl: string, turns: JsonTurn[]): Promise<void> {
	await call(baseUrl, '/__script', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ turns })
	});
}

/** Every chat request received since start or the last reset, with the turn that answered. */
export async function fakeLlmRequests(baseUrl: string): Promise<RecordedRequest[]> {
	const { requests } = await call<{ requests: RecordedRequest[] }>(baseUrl, '/__requests');
	return requests;
}

/** Empties the queue and the request log. */
export async function resetFakeLlm(baseUrl: string): Promise<void> {
	await call(baseUrl, '/__reset', { method: 'POST' });
}

/** Queue length and request count; throws when the server is not up. */
export async function fakeLlmHealth(
	baseUrl: string
): Promise<{ ok: true; remaining: number; requests: number }> {
	return call(baseUrl, '/__health');
}
