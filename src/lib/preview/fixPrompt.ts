import type { PreviewError } from './runtime';

const KIND_LABEL: Record<PreviewError['kind'], string> = {
	uncaught: 'Uncaught error',
	rejection: 'Unhandled promise rejection',
	console: 'console.error',
	build: 'Build error'
};

/** The message "Fix with agent" sends: what the person saw, for the agent to fix. */
export function fixPrompt(error: PreviewError): string {
	// A V8 stack opens with the message ("Error: Boom\n    at …"): said once is enough.
	const stackSaysMessage = error.stack?.split('\n', 1)[0].includes(error.message) ?? false;
	const detail = [
		`${KIND_LABEL[error.kind]}: ${stackSaysMessage ? error.stack : error.message}`,
		stackSaysMessage ? null : (error.stack ?? null),
		error.source ? `at ${error.source}` : null
	]
		.filter(Boolean)
		.join('\n');
	return [
		'The preview of the app shows this error:',
		'',
		'```',
		detail.slice(0, 4_000),
		'```',
		'',
		'Find the cause in the code, fix it, and run the checks.'
	].join('\n');
}
