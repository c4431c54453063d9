// The agent's guards, in one place. Each can be overridden by the operator through the
// deployment's environment (e.g. `npx convex env set AGENT_MAX_STEPS 30`).

function fromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	const value = raw === undefined ? NaN : Number(raw);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function agentLimits() {
	return {
		/** Model steps (one model call each) in one run. */
		maxSteps: fromEnv('AGENT_MAX_STEPS', 25),
		/** Failed tool calls in a row before the run gives up. */
		maxConsecutiveToolFailures: fromEnv('AGENT_MAX_TOOL_FAILURES', 5),
		/** Input + output tokens one run may spend. */
		tokenBudgetPerRun: fromEnv('AGENT_TOKEN_BUDGET', 500_000),
		/** Runs one person may start per minute. */
		runsPerMinute: fromEnv('AGENT_RUNS_PER_MINUTE', 6),
		/** Longest prompt, in characters. */
		promptChars: fromEnv('AGENT_PROMPT_CHARS', 20_000),
		/** Retries of a failing model call (429, 5xx, timeouts), with backoff, before failing. */
		modelRetries: fromEnv('AGENT_MODEL_RETRIES', 2)
	};
}
