// convex-test runs ctx.scheduler.runAfter/runAt jobs itself on real timers, so they fire on
// time without help (ChangeFeed publishes their writes). What it cannot do is forget them:
// its timers outlive the emulator. Cancelling the pending jobs makes those timers no-ops.
import type { Backend } from './backend';

export async function cancelPendingScheduledFunctions(backend: Backend): Promise<number> {
	return await backend.queue.run(() =>
		backend.t.run(async (ctx) => {
			const pending = await ctx.db.system
				.query('_scheduled_functions')
				.filter((q) => q.eq(q.field('state.kind'), 'pending'))
				.collect();
			for (const job of pending) await ctx.scheduler.cancel(job._id);
			return pending.length;
		})
	);
}

/** Waits for scheduled functions that have already started, so close() leaves nothing running. */
export async function finishRunningScheduledFunctions(backend: Backend): Promise<void> {
	await backend.t.finishInProgressScheduledFunctions();
}
