import { useMutation } from 'convex/react';
import { useId, useState, type SubmitEvent } from 'react';
import { api } from '../../convex/_generated/api';
import { MAX_TASK_LENGTH } from '../../convex/limits';
import { usePending } from '../lib/usePending';

export default function TaskForm() {
	const addTask = useMutation(api.tasks.add);
	const [text, setText] = useState('');
	const { pending, error, run } = usePending();
	const id = useId();

	const trimmed = text.trim();

	async function submit(event: SubmitEvent<HTMLFormElement>) {
		event.preventDefault();
		if (trimmed.length === 0 || pending) return;
		// On failure the text stays, so the person can fix it and try again.
		if (await run(() => addTask({ text: trimmed }))) setText('');
	}

	return (
		<form onSubmit={submit} className="flex flex-col gap-2">
			<label htmlFor={id} className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
				New task
			</label>
			<div className="flex gap-2">
				<input
					id={id}
					type="text"
					value={text}
					onChange={(event) => setText(event.target.value)}
					maxLength={MAX_TASK_LENGTH}
					placeholder="Water the plants"
					autoComplete="off"
					aria-invalid={error ? true : undefined}
					aria-describedby={error ? `${id}-error` : undefined}
					className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-2 shadow-sm outline-none placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-500"
				/>
				<button
					type="submit"
					disabled={trimmed.length === 0 || pending}
					className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm transition hover:bg-indigo-700 focus-visible:ring-2 focus-visible:ring-indigo-500/50 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-50 dark:hover:bg-indigo-500"
				>
					Add
				</button>
			</div>
			{error && (
				<p id={`${id}-error`} role="alert" className="text-sm text-red-600 dark:text-red-400">
					{error}
				</p>
			)}
		</form>
	);
}
