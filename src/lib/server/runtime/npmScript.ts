// A package.json script run the way `npm run <name> -- <args>` runs it, without npm itself: the
// script's command with the arguments appended and node_modules/.bin first on PATH. npm takes
// most of a second to start on a busy machine, and reopening a preview waits on it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shellQuote } from './processes';

export interface ScriptCommand {
	command: string;
	env: Record<string, string>;
	/** The script's own text; null when npm runs it. */
	script: string | null;
}

/**
 * The command for script `name` of the work dir's package.json. A script with pre- or post-
 * scripts, or a package.json this cannot read, is left to npm, which runs all of it or says
 * what is wrong.
 */
export async function npmScript(
	workDir: string,
	name: string,
	args: string[]
): Promise<ScriptCommand> {
	const viaNpm = {
		command: ['npm', 'run', name, '--', ...args].map(shellQuote).join(' '),
		env: {},
		script: null
	};
	const manifest = await readFile(join(workDir, 'package.json'), 'utf8')
		.then((text) => JSON.parse(text) as { scripts?: Record<string, unknown> })
		.catch(() => null);
	const scripts = manifest?.scripts ?? {};
	const script = scripts[name];
	if (typeof script !== 'string' || `pre${name}` in scripts || `post${name}` in scripts) {
		return viaNpm;
	}
	return {
		command: [script, ...args.map(shellQuote)].join(' '),
		env: {
			PATH: `${join(workDir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
			npm_lifecycle_event: name,
			npm_lifecycle_script: script
		},
		script
	};
}
