// Lets other parts of the workbench (the preview's "Fix with agent", auto-fix) send a message
// through the chat the person sees, with the model they picked there.
import { getContext, setContext } from 'svelte';

export class ChatControl {
	/** Set by the chat panel while it is mounted. Resolves false when nothing was sent. */
	sender: ((text: string) => Promise<boolean>) | null = null;
	/** Whether the agent is working on a run right now. */
	busy = $state(false);
	/** Bumped each time the person (not auto-fix) sends a message. */
	personSent = $state(0);

	async send(text: string): Promise<boolean> {
		return (await this.sender?.(text)) ?? false;
	}
}

const CONTEXT = Symbol('chat-control');

export function setChatControl(control: ChatControl) {
	setContext(CONTEXT, control);
}

export function useChatControl(): ChatControl {
	return getContext(CONTEXT);
}
