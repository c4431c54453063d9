// A standby emulator has loaded its code and waits for what to serve: one JSON line on stdin.
// When stdin closes first, whoever kept it ready is gone, and so is the reason to wait.

export interface Job {
	args: string[];
	env: Record<string, string>;
}

export function readJob(): Promise<Job> {
	return new Promise((resolve) => {
		let input = '';
		const onEnd = () => process.exit(0);
		process.stdin.setEncoding('utf8');
		process.stdin.on('end', onEnd);
		process.stdin.on('data', (chunk: string) => {
			input += chunk;
			const end = input.indexOf('\n');
			if (end < 0) return;
			process.stdin.removeAllListeners('data');
			process.stdin.off('end', onEnd);
			process.stdin.pause();
			const job = JSON.parse(input.slice(0, end)) as Partial<Job>;
			resolve({ args: job.args ?? [], env: job.env ?? {} });
		});
	});
}
