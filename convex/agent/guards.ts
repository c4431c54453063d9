// Per-run bookkeeping that stops an agent going in circles: an identical call made twice in
// a row is refused (its answer would not change), and too many failed calls in a row end
// the run. Framework-free so it can be tested alone.

export type ToolResult = { ok: true; [key: string]: unknown } | { ok: false; error: string };

export class ToolGuard {
	#lastCall: string | null = null;
	#consecutiveFailures = 0;
	readonly maxConsecutiveFailures: number;

	constructor(maxConsecutiveFailures: number) {
		this.maxConsecutiveFailures = maxConsecutiveFailures;
	}

	get consecutiveFailures() {
		return this.#consecutiveFailures;
	}

	/** True once the run should stop because its tool calls keep failing. */
	get exhausted() {
		return this.#consecutiveFailures >= this.maxConsecutiveFailures;
	}

	/** Runs a tool call through the guards, turning thrown errors into readable results. */
	async run(name: string, input: unknown, call: () => Promise<ToolResult>): Promise<ToolResult> {
		const key = `${name}:${stableJson(input)}`;
		let result: ToolResult;
		if (key === this.#lastCall) {
			result = {
				ok: false,
				error: `Refused: this is the same ${name} call as the previous one, so its result would be the same. Change the arguments or do something else.`
			};
		} else {
			try {
				result = await call();
			} catch (e) {
				result = { ok: false, error: e instanceof Error ? e.message : String(e) };
			}
		}
		this.#lastCall = key;
		this.#consecutiveFailures = result.ok ? 0 : this.#consecutiveFailures + 1;
		return result;
	}
}

function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
			a.localeCompare(b)
		);
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'undefined';
}
