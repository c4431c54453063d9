// The emulator must never pass for a database: say so where every operator will see it.
export function banner(url: string, siteUrl: string): string {
	const lines = [
		'CONVEX EMULATOR — data lives in memory and is lost when this process stops',
		'',
		'For tests and offline demos only: convex-test behind the real Convex client protocols.',
		`API and sync:  ${url}`,
		`HTTP actions:  ${siteUrl}`
	];
	const width = Math.max(...lines.map((line) => line.length));
	const border = '═'.repeat(width + 2);
	return [`╔${border}╗`, ...lines.map((line) => `║ ${line.padEnd(width)} ║`), `╚${border}╝`].join(
		'\n'
	);
}
