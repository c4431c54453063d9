// Runtime output is shown in a terminal and sent to the agent as plain text, so colour and
// cursor codes are removed.

// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
	return text.replace(ANSI, '').replace(/\r\n/g, '\n');
}
