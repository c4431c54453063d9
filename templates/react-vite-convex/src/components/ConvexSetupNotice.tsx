export default function ConvexSetupNotice({ problem }: { problem: string }) {
	return (
		<main className="mx-auto max-w-xl px-4 py-16">
			<div
				role="alert"
				className="rounded-xl border border-amber-300 bg-amber-50 p-6 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
			>
				<h1 className="text-lg font-semibold">Convex is not connected</h1>
				<p className="mt-2">{problem}</p>
				<p className="mt-2 text-sm opacity-80">
					Run <code className="font-mono">npx convex dev</code> to create a deployment and write{' '}
					<code className="font-mono">VITE_CONVEX_URL</code> to{' '}
					<code className="font-mono">.env.local</code>, then restart{' '}
					<code className="font-mono">npm run dev</code>.
				</p>
			</div>
		</main>
	);
}
