// Reports a running deploy to the builder's backend as the person who started it: each step,
// and the log in pieces (batched, in order), so every open tab sees the deploy as it runs.
import type { ConvexHttpClient } from 'convex/browser';
import { api } from '$convex/_generated/api';
import type { Id } from '$convex/_generated/dataModel';
import { DEPLOY_LIMITS, type DeployStatus } from '../../shared/deploy';

const FLUSH_MS = 250;

export class DeployRecorder {
	#pending = '';
	#timer: ReturnType<typeof setTimeout> | null = null;
	#chain: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly client: ConvexHttpClient,
		readonly deploymentId: Id<'deployments'>
	) {}

	log = (text: string) => {
		this.#pending += text;
		this.#timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
	};

	/** Sends the log so far; later calls wait for earlier ones, so pieces stay in order. */
	flush(): Promise<unknown> {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		const text = this.#pending;
		this.#pending = '';
		for (let at = 0; at < text.length; at += DEPLOY_LIMITS.logChunkChars) {
			const piece = text.slice(at, at + DEPLOY_LIMITS.logChunkChars);
			this.#then(() =>
				this.client.mutation(api.deployments.appendLog, {
					deploymentId: this.deploymentId,
					text: piece
				})
			);
		}
		return this.#chain;
	}

	/** Moves the deployment to `status`, after the log written so far. */
	async step(
		status: DeployStatus,
		extra: { url?: string; backendUrl?: string; error?: string } = {}
	) {
		await this.flush();
		await this.#then(() =>
			this.client.mutation(api.deployments.advance, {
				deploymentId: this.deploymentId,
				status,
				...extra
			})
		);
	}

	/** Queues a write after the ones before it. Its failure is the caller's (a step's) to see,
	 * but never stops the writes after it (a lost log piece must not stop the deploy). */
	#then(job: () => Promise<unknown>) {
		const run = this.#chain.then(job);
		this.#chain = run.catch((error) => {
			console.error('[deploy] could not record progress:', error);
		});
		return run;
	}
}
