// The inside of a standby process (see standby.ts): waits for its job, one JSON line on stdin.
// Plain JavaScript, because both kinds of standby load it: the warm Vite process runs plain
// Node, and the warm emulator runs under tsx.

/**
 * Resolves with the parsed job line. When stdin closes first, whoever kept this process ready
 * is gone, and so is the reason to wait: the process exits.
 * @returns {Promise<Record<string, unknown>>}
 */
export function readJob() {
	return new Promise((resolve) => {
		let input = '';
		const onEnd = () => process.exit(0);
		process.stdin.setEncoding('utf8');
		process.stdin.on('end', onEnd);
		process.stdin.on('data', (chunk) => {
			input += chunk;
			const end = input.indexOf('\n');
			if (end < 0) return;
			process.stdin.removeAllListeners('data');
			process.stdin.off('end', onEnd);
			process.stdin.pause();
			resolve(JSON.parse(input.slice(0, end)));
		});
	});
}
