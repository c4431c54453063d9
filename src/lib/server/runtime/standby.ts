// A process started ahead of need: it loads its code, then waits for one line on stdin that
// says what to run (arguments, environment, folder), and from then on is that process. The
// local runtime keeps such processes for the dev server and the app's backend, whose starts
// are mostly Node loading the same modules every time.
import { spawnShell, type RunningProcess } from './processes';

export interface Standby {
	readonly process: RunningProcess;
	/** Whether it can still be taken (it has not exited and has not been taken). */
	readonly waiting: boolean;
	/**
	 * Hands it its job (`job` is sent as one JSON line) and its output from now on; null when it
	 * exited meanwhile.
	 */
	take(job: unknown, onOutput: (text: string) => void): RunningProcess | null;
}

/** Starts `command` in `cwd` as a standby; its output is dropped until it is taken. */
export function spawnStandby(command: string, cwd: string): Standby {
	let sink: (text: string) => void = () => undefined;
	let taken = false;
	const proc = spawnShell(command, { cwd, stdin: 'pipe', onOutput: (text) => sink(text) });
	const { child } = proc;
	// A process that died just before it was taken must not take the server down with EPIPE.
	child.stdin?.on('error', () => undefined);
	const alive = () => child.exitCode === null && child.signalCode === null;
	return {
		process: proc,
		get waiting() {
			return !taken && alive() && child.stdin?.writable === true;
		},
		take(job, onOutput) {
			if (!this.waiting) return null;
			taken = true;
			sink = onOutput;
			child.stdin!.end(JSON.stringify(job) + '\n');
			return proc;
		}
	};
}
