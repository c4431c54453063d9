import { DEPLOY_STEP_LABELS, type DeployStep } from '../shared/deploy';

/** How much of a failed deploy's log the agent gets: its end, where the failure is. */
const LOG_TAIL_CHARS = 6_000;

/** The message "Fix with agent" sends for a failed deploy: the reason and the end of the log. */
export function deployFixPrompt(error: string, failedStep: string | null, log: string): string {
	const step = failedStep && failedStep in DEPLOY_STEP_LABELS ? failedStep : null;
	const tail = log.length > LOG_TAIL_CHARS ? `…${log.slice(-LOG_TAIL_CHARS)}` : log;
	return [
		`Deploying the app failed${step ? ` at the step "${DEPLOY_STEP_LABELS[step as DeployStep]}"` : ''}: ${error}`,
		'',
		'The end of the deploy log:',
		'',
		'```',
		tail.trim(),
		'```',
		'',
		'Find the cause in the code, fix it, and run the checks so the next deploy passes.'
	].join('\n');
}
