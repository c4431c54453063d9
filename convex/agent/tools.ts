// The agent's file tools for one run. Each tool is a thin call into an atomic Convex
// function (convex/agentFiles.ts); writes carry the step's key so one model step makes one
// checkpoint. Every call passes through the run's ToolGuard.
import { createTool } from '@convex-dev/agent';
import { z } from 'zod';
import { internal } from '../_generated/api';
import type { Id } from '../_generated/dataModel';
import type { ToolGuard, ToolResult } from './guards';

export function projectFileTools({
	projectId,
	stepKey,
	guard
}: {
	projectId: Id<'projects'>;
	/** The key of the model step in progress. */
	stepKey: () => string;
	guard: ToolGuard;
}) {
	return {
		list_files: createTool({
			description:
				'List the project files (paths and sizes). Optionally filter with a glob such as "src/**/*.svelte".',
			inputSchema: z.object({ glob: z.string().optional() }),
			execute: (ctx, input): Promise<ToolResult> =>
				guard.run('list_files', input, () =>
					ctx.runQuery(internal.agentFiles.list, { projectId, ...input })
				)
		}),
		read_file: createTool({
			description:
				'Read a file with line numbers. Optionally only lines startLine..endLine (1-based, inclusive).',
			inputSchema: z.object({
				path: z.string(),
				startLine: z.number().int().positive().optional(),
				endLine: z.number().int().positive().optional()
			}),
			execute: (ctx, input): Promise<ToolResult> =>
				guard.run('read_file', input, () =>
					ctx.runQuery(internal.agentFiles.read, { projectId, ...input })
				)
		}),
		search_files: createTool({
			description:
				'Search file contents for a literal text (or a regular expression with regex: true), optionally only in files matching a glob.',
			inputSchema: z.object({
				query: z.string(),
				regex: z.boolean().optional(),
				glob: z.string().optional()
			}),
			execute: (ctx, input): Promise<ToolResult> =>
				guard.run('search_files', input, () =>
					ctx.runQuery(internal.agentFiles.search, { projectId, ...input })
				)
		}),
		write_file: createTool({
			description: 'Create a file, or replace a whole file, with the given content.',
			inputSchema: z.object({ path: z.string(), content: z.string() }),
			execute: (ctx, input): Promise<ToolResult> =>
				guard.run('write_file', input, () =>
					ctx.runMutation(internal.agentFiles.write, { projectId, stepKey: stepKey(), ...input })
				)
		}),
		edit_file: createTool({
			description:
				'Change a file with exact search/replace edits, applied in order, all or nothing. Each search text must occur exactly once; include enough surrounding lines to make it unique.',
			inputSchema: z.object({
				path: z.string(),
				edits: z.array(z.object({ search: z.string(), replace: z.string() })).min(1)
			}),
			execute: (ctx, input): Promise<ToolResult> =>
				guard.run('edit_file', input, () =>
					ctx.runMutation(internal.agentFiles.edit, { projectId, stepKey: stepKey(), ...input })
				)
		}),
		delete_file: createTool({
			description: 'Delete a file.',
			inputSchema: z.object({ path: z.string() }),
			execute: (ctx, input): Promise<ToolResult> =>
				guard.run('delete_file', input, () =>
					ctx.runMutation(internal.agentFiles.remove, { projectId, stepKey: stepKey(), ...input })
				)
		}),
		rename_file: createTool({
			description: 'Rename or move a file.',
			inputSchema: z.object({ from: z.string(), to: z.string() }),
			execute: (ctx, input): Promise<ToolResult> =>
				guard.run('rename_file', input, () =>
					ctx.runMutation(internal.agentFiles.rename, { projectId, stepKey: stepKey(), ...input })
				)
		})
	};
}
