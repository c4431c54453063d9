// The agent's runtime tools (ARCHITECTURE §4): things only a running copy of the project can
// answer. Convex declares them to the model without an implementation; the open workbench
// runs each call in its preview runtime and submits the result. Shared so both sides agree on
// names, inputs and limits.
import { z } from 'zod';

export const CHECKS = ['codegen', 'typecheck', 'build'] as const;
export type Check = (typeof CHECKS)[number];

export const runtimeToolInputs = {
	run_checks: z.object({
		checks: z
			.array(z.enum(CHECKS))
			.min(1)
			.optional()
			.describe('Which checks to run, in order. Default: codegen then typecheck.')
	}),
	install_packages: z.object({
		packages: z
			.array(z.string())
			.min(1)
			.max(20)
			.describe('npm package names, optionally with a version: "date-fns" or "zod@4.1.0".'),
		dev: z.boolean().optional().describe('Add them as devDependencies.')
	}),
	read_preview_logs: z.object({})
};

export type RuntimeToolName = keyof typeof runtimeToolInputs;
export type RuntimeToolInput<N extends RuntimeToolName> = z.infer<(typeof runtimeToolInputs)[N]>;

export const RUNTIME_TOOL_NAMES = Object.keys(runtimeToolInputs) as RuntimeToolName[];

export function isRuntimeTool(name: string): name is RuntimeToolName {
	return (RUNTIME_TOOL_NAMES as string[]).includes(name);
}

export const runtimeToolDescriptions: Record<RuntimeToolName, string> = {
	run_checks:
		'Run checks in the project\'s live preview runtime and get their output: "codegen" regenerates convex/_generated (run it after adding or renaming Convex functions), "typecheck" runs the project\'s type checker, "build" builds the app. Run checks after changing code and fix what they report.',
	install_packages:
		'Add npm packages to the project (package.json and package-lock.json are updated, and the preview reinstalls). Only for packages the code imports.',
	read_preview_logs:
		'Read the errors the running preview reported (uncaught errors, console errors, failed builds) and the end of its dev server log.'
};

/** Most characters of a result the model gets back; outputs keep their end. */
export const RUNTIME_RESULT_CHARS = 12_000;

/** How long a call waits for an open workbench to take it. */
export const RUNTIME_CLAIM_MS = 30_000;
/** How long a workbench that took a call has to answer. */
export const RUNTIME_RUN_MS = 10 * 60_000;

/** The end of `text` within the result limit, saying that the start was cut. */
export function resultTail(text: string, limit = RUNTIME_RESULT_CHARS): string {
	if (text.length <= limit) return text;
	return `[…${text.length - limit} earlier characters cut]\n${text.slice(-limit)}`;
}
