// Test servers must never outlive whoever started them, even when that process is killed
// with SIGKILL and cannot clean up. Launchers often sit in between (npx, npm, tsx's CLI,
// which spawns the real node process), so the watch covers every ancestor up to the first
// process that is not such a wrapper.
import { readFileSync } from 'node:fs';

const WRAPPER = /(^|[/\s])(npx|npm|npm-cli\.js|npx-cli\.js|tsx|cli\.mjs|sh|bash)(\s|$)/;

function procInfo(pid: number): { ppid: number; cmdline: string } | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name may contain spaces and parentheses; fields resume after the last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
		return { ppid: Number(fields[1]), cmdline };
	} catch {
		return null;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The pids to watch: the parent, and through wrappers up to the real owner. */
export function ancestorsToWatch(explicitParent?: number): number[] {
	if (explicitParent !== undefined) return [explicitParent];
	const watched = [process.ppid];
	let pid = process.ppid;
	for (let depth = 0; depth < 6; depth++) {
		const info = procInfo(pid);
		if (info === null || !WRAPPER.test(info.cmdline) || info.ppid <= 1) break;
		pid = info.ppid;
		watched.push(pid);
	}
	return watched;
}

/** Calls `onOrphaned` once when a watched ancestor exits or stdin (a pipe) closes. */
export function watchParent(onOrphaned: () => void, explicitParent?: number): () => void {
	const pids = ancestorsToWatch(explicitParent);
	const originalPpid = process.ppid;
	let fired = false;
	const fire = () => {
		if (fired) return;
		fired = true;
		onOrphaned();
	};
	const timer = setInterval(() => {
		if (process.ppid !== originalPpid || pids.some((pid) => !alive(pid))) fire();
	}, 1_000);
	timer.unref();
	return () => clearInterval(timer);
}

/** For launchers that keep a pipe to our stdin open: its closing means the launcher is gone. */
export function watchStdin(onClosed: () => void) {
	process.stdin.on('end', onClosed);
	process.stdin.on('close', onClosed);
	process.stdin.on('error', onClosed);
	process.stdin.resume();
}
