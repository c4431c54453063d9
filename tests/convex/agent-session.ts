// A build session driven by a scripted model, for tests of the agent loop. Each test file
// mocks convex/agent/languageModel to hand out `scripted.model` (vi.mock must stay in the
// test file to be hoisted).
import { listMessages } from '@convex-dev/agent';
import { api, components } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { scriptedModel, type ScriptStep } from './scripted-model';
import { setup, signedIn, type Test } from './setup';

export const scripted: { model: ReturnType<typeof scriptedModel> | null } = { model: null };

export async function session(steps: ScriptStep[], hooks?: Parameters<typeof scriptedModel>[1]) {
	scripted.model = scriptedModel(steps, hooks);
	const t = await setup();
	const me = await signedIn(t);
	const projectId = await me.as.mutation(api.projects.create, { name: 'Agent' });
	const sessionId = await me.as.mutation(api.sessions.create, { projectId });
	const send = (prompt: string) =>
		me.as.mutation(api.sessions.send, {
			sessionId,
			prompt,
			provider: 'openai',
			modelId: 'gpt-test'
		});
	return { t, me, projectId, sessionId, send };
}

/** Lets the scheduled generation run until the run ends or waits, with real timers. */
export async function settle(t: Test, runId: Id<'runs'>) {
	for (let i = 0; i < 200; i++) {
		await new Promise((resolve) => setTimeout(resolve, 10));
		await t.finishInProgressScheduledFunctions();
		const run = await t.run((ctx) => ctx.db.get(runId));
		if (run && !['queued', 'running'].includes(run.status)) return run;
	}
	throw new Error('run did not finish');
}

export async function threadOf(t: Test, sessionId: Id<'sessions'>) {
	const session = await t.run((ctx) => ctx.db.get(sessionId));
	return await t.run((ctx) =>
		listMessages(ctx, components.agent, {
			threadId: session!.threadId,
			paginationOpts: { cursor: null, numItems: 100 },
			excludeToolMessages: false
		})
	);
}
