// The runtime tools as the model sees them: declared without `execute`, so a step that calls
// one ends with finish reason 'tool-calls' and the run hands the calls to the workbench
// (convex/runtimeCalls.ts). Names, inputs and descriptions live in src/lib/shared.
import { tool, type StepResult, type ToolSet } from 'ai';
import {
	isRuntimeTool,
	runtimeToolDescriptions,
	runtimeToolInputs,
	type RuntimeToolName
} from '../../src/lib/shared/runtimeTools';

export function runtimeTools() {
	const d = runtimeToolDescriptions;
	const inputs = runtimeToolInputs;
	return {
		run_checks: tool({ description: d.run_checks, inputSchema: inputs.run_checks }),
		install_packages: tool({
			description: d.install_packages,
			inputSchema: inputs.install_packages
		}),
		read_preview_logs: tool({
			description: d.read_preview_logs,
			inputSchema: inputs.read_preview_logs
		})
	} satisfies Record<RuntimeToolName, unknown>;
}

/** The last step's runtime tool calls that have no result (`ai` lists every step's calls). */
export function unansweredRuntimeCalls(steps: StepResult<ToolSet>[]) {
	const last = steps.at(-1);
	if (!last) return [];
	const answered = new Set(last.toolResults.map((r) => r.toolCallId));
	return last.toolCalls
		.filter((call) => isRuntimeTool(call.toolName) && !answered.has(call.toolCallId))
		.map((call) => ({ toolCallId: call.toolCallId, toolName: call.toolName, input: call.input }));
}
