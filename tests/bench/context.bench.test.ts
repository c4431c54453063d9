// How many tokens one agent step sends in a small and a large project. The real run loop
// builds the request (instructions, tool definitions, project context, the prompt); a
// scripted model captures it. Tokens are estimated at 4 characters each, the usual rule of
// thumb for English and code, since no tokenizer for every provider ships offline.
import { expect, test, vi } from 'vitest';
import { api } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { scriptedModel } from '../convex/scripted-model';
import { setup, signedIn, type Test } from '../convex/setup';
import { record } from './figures';
import { benchTemplate } from './project';

let model: ReturnType<typeof scriptedModel> | null = null;
vi.mock('../../convex/agent/languageModel', async (importOriginal) => ({
	...(await importOriginal<object>()),
	languageModelFor: async () => model
}));

const CHARS_PER_TOKEN = 4;
const bench = benchTemplate().files;

/** Tokens of the first model request of a run in a project of `fileCount` bench files. */
async function firstStepTokens(fileCount: number) {
	model = scriptedModel([{ text: 'ok' }]);
	const t = await setup();
	const me = await signedIn(t);
	const projectId = await me.as.mutation(api.projects.create, { name: `${fileCount} files` });
	const files = Array.from({ length: fileCount }, (_, i) => bench[i % bench.length]).map(
		(file, i) => ({
			kind: 'write' as const,
			path: i < bench.length ? file.path : `copies/${i}/${file.path}`,
			content: file.content,
			baseHash: null
		})
	);
	await me.as.mutation(api.files.save, { projectId, edits: files });
	const sessionId = await me.as.mutation(api.sessions.create, { projectId });
	const runId = await me.as.mutation(api.sessions.send, {
		sessionId,
		prompt: 'Add a settings page with a dark mode switch.',
		provider: 'openai',
		modelId: 'gpt-test'
	});
	await settle(t, runId);
	const call = model.doStreamCalls[0];
	const chars = JSON.stringify(call.prompt).length + JSON.stringify(call.tools ?? []).length;
	return Math.round(chars / CHARS_PER_TOKEN);
}

async function settle(t: Test, runId: Id<'runs'>) {
	for (let i = 0; i < 300; i++) {
		await new Promise((resolve) => setTimeout(resolve, 10));
		await t.finishInProgressScheduledFunctions();
		const run = await t.run((ctx) => ctx.db.get(runId));
		if (run?.status === 'succeeded') return;
		if (run && run.status !== 'queued' && run.status !== 'running') {
			throw new Error(`run ended ${run.status}: ${run.error}`);
		}
	}
	throw new Error('run did not finish');
}

test('context tokens of one agent step in projects of 20 and 200 files', async (ctx) => {
	const small = await firstStepTokens(20);
	const large = await firstStepTokens(200);
	expect(small).toBeGreaterThan(0);
	record(ctx, 'context_tokens_step_20_files', {
		value: small,
		unit: 'tokens',
		label: 'tokens one agent step sends, 20-file project',
		note: 'instructions + tool definitions + project context + prompt, at 4 chars/token'
	});
	record(ctx, 'context_tokens_step_200_files', {
		value: large,
		unit: 'tokens',
		label: 'tokens one agent step sends, 200-file project',
		goal: { max: Math.round(small * 1.5), text: '<= 1.5 x the 20-file figure' },
		note: `${(large / small).toFixed(2)} x the 20-file figure`
	});
}, 60_000);
