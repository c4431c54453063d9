// Auto-fix: when the person turns it on, a new preview error goes to the agent by itself once
// the agent is idle, as if they had pressed "Fix with agent". At most AUTO_FIX_LIMIT times in
// a row: an app the agent cannot fix must not spend tokens in a loop. Anything the person
// sends (a message, or "Fix with agent") starts the count again.
import { untrack } from 'svelte';
import type { ChatControl } from '$lib/agent/chatControl.svelte';
import { fixPrompt } from './fixPrompt';
import type { PreviewError } from './runtime';
import type { PreviewSession } from './session.svelte';

export const AUTO_FIX_LIMIT = 3;
const PREFERENCE_KEY = 'appbuilder.autoFix';

export class AutoFix {
	enabled = $state(false);
	/** Errors sent by auto-fix since the person last sent something. */
	attempts = $state(0);
	/** The limit was reached and a further error was left for the person. */
	stopped = $state(false);
	/** Errors from before the agent last finished are not auto-fixed (its edits were in flight). */
	#idleSince = Date.now();
	#handledUntil = 0;
	#sending = false;
	#stop: () => void;

	constructor(
		readonly session: PreviewSession,
		readonly chat: ChatControl
	) {
		this.enabled = localStorage.getItem(PREFERENCE_KEY) === '1';
		this.#stop = $effect.root(() => {
			$effect(() => {
				void chat.personSent;
				untrack(() => this.reset());
			});
			$effect(() => {
				if (!chat.busy) this.#idleSince = Date.now();
			});
			$effect(() => {
				const latest = session.errors.at(-1);
				if (this.enabled && latest && !chat.busy) untrack(() => void this.#consider(latest));
			});
		});
	}

	toggle(on: boolean) {
		this.enabled = on;
		localStorage.setItem(PREFERENCE_KEY, on ? '1' : '0');
		this.reset();
	}

	/** The person acted: auto-fix may try again from zero. */
	reset() {
		this.attempts = 0;
		this.stopped = false;
	}

	dispose() {
		this.#stop();
	}

	async #consider(error: PreviewError) {
		if (this.#sending || error.at <= this.#idleSince || error.at <= this.#handledUntil) return;
		this.#handledUntil = error.at;
		if (this.attempts >= AUTO_FIX_LIMIT) {
			this.stopped = true;
			return;
		}
		this.#sending = true;
		try {
			if (await this.chat.send(fixPrompt(error))) {
				this.attempts++;
				this.session.clearErrors();
			}
		} finally {
			this.#sending = false;
		}
	}
}
