import { expect, test } from 'vitest';
import { merge, type MergeableMessage } from '../../src/lib/agent/merge';

const msg = (order: number, stepOrder: number, role: string, text: string, status = 'success') =>
	({
		order,
		stepOrder,
		role,
		text,
		status,
		parts: [{ type: 'text', text }]
	}) as MergeableMessage;

test('a streaming step shows over its pending placeholder, and a finished save replaces it', () => {
	const user = msg(0, 0, 'user', 'hi');
	const streaming = msg(1, 0, 'assistant', 'Hel', 'streaming');
	expect(
		merge([user, msg(1, 0, 'assistant', '', 'pending')], [streaming]).map((m) => m.text)
	).toEqual(['hi', 'Hel']);
	expect(merge([user, msg(1, 0, 'assistant', 'Hello')], [streaming]).map((m) => m.text)).toEqual([
		'hi',
		'Hello'
	]);
});

test('the steps of one answer show as one message, in order', () => {
	const merged = merge(
		[msg(1, 1, 'assistant', ' world'), msg(0, 0, 'user', 'q'), msg(1, 0, 'assistant', 'Hello')],
		[]
	);
	expect(merged.map((m) => [m.role, m.text])).toEqual([
		['user', 'q'],
		['assistant', 'Hello world']
	]);
	expect(merged[1].parts).toHaveLength(2);
});
