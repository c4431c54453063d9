// Notices commits the emulator did not make itself: scheduled functions (convex-test runs them
// on its own real timers), mutations inside actions and HTTP actions, uploads. Polling the
// commit timestamp catches them all, including those of components.
import type { Backend } from './backend';

const POLL_MS = 50;

export class ChangeFeed {
	private lastTs = -1n;
	private polling = false;
	private recheck = false;
	private readonly timer: NodeJS.Timeout;

	constructor(
		private readonly backend: Backend,
		private readonly onChange: () => void
	) {
		this.timer = setInterval(() => void this.check(), POLL_MS);
		this.timer.unref();
	}

	/** Compare the commit timestamp with the last one seen; call after any write. */
	async check() {
		// A read already in flight may predate the write that asked for this check.
		if (this.polling) {
			this.recheck = true;
			return;
		}
		this.polling = true;
		try {
			do {
				this.recheck = false;
				const ts = await this.backend.snapshotTs();
				if (ts !== this.lastTs) {
					this.lastTs = ts;
					this.onChange();
				}
			} while (this.recheck);
		} catch (error) {
			console.error('[convex-emulator] reading the commit timestamp failed', error);
		} finally {
			this.polling = false;
		}
	}

	stop() {
		clearInterval(this.timer);
	}
}
