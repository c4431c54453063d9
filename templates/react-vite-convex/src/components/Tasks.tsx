import { useMutation, useQuery } from 'convex/react';
import { api } from '../../convex/_generated/api';
import { usePending } from '../lib/usePending';
import TaskItem from './TaskItem';

export default function Tasks() {
	// A live subscription: any change by anyone re-runs the query and re-renders this component.
	// It is undefined until the first result arrives.
	const tasks = useQuery(api.tasks.list);
	const clearCompleted = useMutation(api.tasks.clearCompleted);
	const { pending, error, run } = usePending();

	if (tasks === undefined) {
		return <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading…</p>;
	}
	if (tasks.length === 0) {
		return (
			<p className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
				No tasks yet. Add the first one above.
			</p>
		);
	}

	const doneCount = tasks.filter((task) => task.done).length;

	return (
		<div className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
			<ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
				{tasks.map((task) => (
					<TaskItem key={task._id} task={task} />
				))}
			</ul>
			<div className="flex items-center justify-between gap-4 border-t border-zinc-200 bg-zinc-50 px-4 py-2 text-sm text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
				<p aria-live="polite">
					{tasks.length} {tasks.length === 1 ? 'task' : 'tasks'} · {doneCount} done
				</p>
				<button
					type="button"
					disabled={doneCount === 0 || pending}
					onClick={() => run(() => clearCompleted())}
					className="rounded-md px-2 py-1 font-medium transition hover:bg-zinc-200/70 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-indigo-500/50 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-50 disabled:hover:bg-transparent disabled:hover:text-inherit dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
				>
					Clear completed
				</button>
			</div>
			{error && (
				<p role="alert" className="px-4 pb-2 text-sm text-red-600 dark:text-red-400">
					{error}
				</p>
			)}
		</div>
	);
}
