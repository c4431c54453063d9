import { useMutation } from 'convex/react';
import { api } from '../../convex/_generated/api';
import type { Doc } from '../../convex/_generated/dataModel';
import { usePending } from '../lib/usePending';

export default function TaskItem({ task }: { task: Doc<'tasks'> }) {
	// The checkbox flips at once: the optimistic update edits the cached list, and Convex replaces
	// it with the server's result (or rolls it back on failure) when the mutation lands.
	const setDone = useMutation(api.tasks.setDone).withOptimisticUpdate((store, { id, done }) => {
		const tasks = store.getQuery(api.tasks.list, {});
		if (tasks === undefined) return;
		store.setQuery(
			api.tasks.list,
			{},
			tasks.map((t) => (t._id === id ? { ...t, done } : t))
		);
	});
	const removeTask = useMutation(api.tasks.remove);
	const { pending, error, run } = usePending();

	return (
		<li className="flex items-start gap-3 px-4 py-3">
			<input
				type="checkbox"
				checked={task.done}
				disabled={pending}
				onChange={(event) => run(() => setDone({ id: task._id, done: event.target.checked }))}
				aria-label={`Mark “${task.text}” as ${task.done ? 'not done' : 'done'}`}
				className="mt-1 size-4 shrink-0 accent-indigo-600 dark:accent-indigo-400"
			/>
			<div className="min-w-0 flex-1">
				<p
					className={
						task.done
							? 'break-words text-zinc-400 line-through decoration-zinc-400 dark:text-zinc-500'
							: 'break-words'
					}
				>
					{task.text}
				</p>
				{error && (
					<p role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
						{error}
					</p>
				)}
			</div>
			<button
				type="button"
				disabled={pending}
				onClick={() => run(() => removeTask({ id: task._id }))}
				aria-label={`Delete “${task.text}”`}
				className="rounded-md px-2 py-1 text-sm text-zinc-500 transition hover:bg-red-50 hover:text-red-600 focus-visible:ring-2 focus-visible:ring-red-500/40 focus-visible:outline-none disabled:opacity-50 dark:text-zinc-400 dark:hover:bg-red-950/40 dark:hover:text-red-400"
			>
				Delete
			</button>
		</li>
	);
}
