// Joins saved messages with the ones still streaming, as the agent's React hooks do. Pure.

export interface MergeableMessage {
	order: number;
	stepOrder: number;
	role: string;
	status: string;
	text: string;
	parts: unknown[];
}

/**
 * One list in thread order. A finished saved message replaces the streaming copy of its step;
 * consecutive assistant steps of one turn show as one message, as in the agent's hooks.
 */
export function merge<M extends MergeableMessage>(saved: M[], streaming: M[]): M[] {
	const byStep = new Map<string, M>();
	for (const message of streaming) byStep.set(`${message.order}:${message.stepOrder}`, message);
	for (const message of saved) {
		const key = `${message.order}:${message.stepOrder}`;
		// While a step streams, its saved row is an empty "pending" placeholder: keep the stream.
		if (message.status === 'pending' && byStep.has(key)) continue;
		byStep.set(key, message);
	}
	const ordered = [...byStep.values()].sort((a, b) =>
		a.order === b.order ? a.stepOrder - b.stepOrder : a.order - b.order
	);
	const out: M[] = [];
	for (const message of ordered) {
		const last = out.at(-1);
		if (
			last &&
			last.role === 'assistant' &&
			message.role === 'assistant' &&
			last.order === message.order
		) {
			out[out.length - 1] = {
				...last,
				parts: [...last.parts, ...message.parts],
				text: last.text + message.text,
				status: message.status
			};
		} else {
			out.push(message);
		}
	}
	return out;
}
