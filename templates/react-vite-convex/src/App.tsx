import ErrorBoundary from './components/ErrorBoundary';
import TaskForm from './components/TaskForm';
import Tasks from './components/Tasks';

export default function App() {
	return (
		<main className="mx-auto max-w-xl px-4 py-12 sm:py-16">
			<header className="mb-8">
				<h1 className="text-3xl font-bold tracking-tight">Tasks</h1>
				<p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
					A shared list: every open tab sees changes at once.
				</p>
			</header>

			<TaskForm />

			<section className="mt-8" aria-label="Tasks">
				{/* useQuery throws when the query fails; the boundary turns that into a message. */}
				<ErrorBoundary
					fallback={(error) => (
						<p role="alert" className="text-sm text-red-600 dark:text-red-400">
							Could not load tasks: {error.message}
						</p>
					)}
				>
					<Tasks />
				</ErrorBoundary>
			</section>
		</main>
	);
}
