// The agent's file tools (ARCHITECTURE §4): list, read, search, write, edit, remove, rename,
// each one atomic Convex function over the project's files. All are internal and skip user
// auth: the run that calls them was authorized when it started, and the agent's tools pass
// the run's own project id.
//
// Results are shaped for the model. A failure it can fix (bad path, missing file, protected
// path, edit mismatch, limits) is returned as `{ ok: false, code, error }` after checks that
// write nothing, so the run continues; success is `{ ok: true, summary, ... }`. Anything
// thrown (a missing project, a bad stepKey) is a bug in the caller, and rolls back.
//
// Every write passes a `stepKey` (`${runId}:${stepNumber}`): all writes of one agent step
// become one checkpoint of kind 'agent' (see appendToStepCheckpoint).
import { v, type Infer } from 'convex/values';
import type { Doc, Id } from './_generated/dataModel';
import {
	internalMutation,
	internalQuery,
	type MutationCtx,
	type QueryCtx
} from './_generated/server';
import { fail } from './errors';
import { findBlob, sha256Hex } from './model/blobs';
import { applyEdits, getFileRow } from './model/fileStore';
import { stepMessage } from './model/history';
import { findTemplate } from './model/templates';
import type { FileEdit } from './model/validators';
import { applySearchReplace } from '../src/lib/shared/agent/edit';
import { firstMatchingGlob } from '../src/lib/shared/agent/glob';
import { readLines, splitLines } from '../src/lib/shared/agent/read';
import {
	compileQuery,
	pathFilter,
	searchFiles,
	type SearchFile
} from '../src/lib/shared/agent/search';
import { ERROR_CODES, type ErrorCode } from '../src/lib/shared/errors';
import { LIMITS } from '../src/lib/shared/limits';
import { baseName, checkPath, utf8Bytes } from '../src/lib/shared/paths';

/** Most search/replace pairs in one edit call. */
export const MAX_EDITS_PER_CALL = 50;
/** Blob bytes one search reads before it stops; Convex bounds what one query may read. */
export const SEARCH_READ_BYTES = 8 * 1024 * 1024;
const STEP_KEY_LENGTH = 200;

// ---------------------------------------------------------------------------------------------
// Validators

export const vToolError = v.object({
	ok: v.literal(false),
	code: v.union(...ERROR_CODES.map((code) => v.literal(code))),
	error: v.string()
});
export type ToolError = Infer<typeof vToolError>;

export const vSearchReplace = v.object({ search: v.string(), replace: v.string() });

const vListResult = v.object({
	ok: v.literal(true),
	summary: v.string(),
	files: v.array(v.object({ path: v.string(), size: v.number() }))
});

const vReadResult = v.union(
	v.object({
		ok: v.literal(true),
		summary: v.string(),
		path: v.string(),
		/** Numbered lines: `<number>\t<text>`. */
		text: v.string(),
		startLine: v.number(),
		endLine: v.number(),
		totalLines: v.number(),
		note: v.optional(v.string())
	}),
	vToolError
);

const vSearchResult = v.union(
	v.object({
		ok: v.literal(true),
		summary: v.string(),
		/** `path:line: text` */
		matches: v.array(v.string()),
		filesSearched: v.number(),
		truncated: v.boolean()
	}),
	vToolError
);

/** Every write names the checkpoint it landed in (null: it changed nothing). */
const vWritten = {
	ok: v.literal(true),
	summary: v.string(),
	checkpointId: v.union(v.id('checkpoints'), v.null())
};

const vWriteResult = v.union(
	v.object({
		...vWritten,
		path: v.string(),
		created: v.boolean(),
		bytes: v.number(),
		lines: v.number()
	}),
	vToolError
);

const vEditResult = v.union(
	v.object({
		...vWritten,
		path: v.string(),
		bytes: v.number(),
		lines: v.number(),
		editsApplied: v.number(),
		removedLines: v.number(),
		addedLines: v.number()
	}),
	vToolError
);

const vRemoveResult = v.union(v.object({ ...vWritten, path: v.string() }), vToolError);

const vRenameResult = v.union(
	v.object({ ...vWritten, from: v.string(), to: v.string() }),
	vToolError
);

const vStepArgs = { projectId: v.id('projects'), stepKey: v.string() };

// ---------------------------------------------------------------------------------------------
// Reading

/** Paths and sizes, sorted by path, optionally filtered by a glob ('*.ts' matches file names). */
export const list = internalQuery({
	args: { projectId: v.id('projects'), glob: v.optional(v.string()) },
	returns: v.union(vListResult, vToolError),
	handler: async (ctx, { projectId, glob }) => {
		await loadProject(ctx, projectId);
		const include = globFilter(glob);
		if (!include.ok) return include;
		const rows = await fileRows(ctx, projectId);
		const files = rows
			.filter((f) => include.test(f.path))
			.map(({ path, size }) => ({ path, size }));
		const filter = glob?.trim() ? ` matching ${glob.trim()}` : '';
		return { ok: true as const, summary: `${files.length} files${filter}.`, files };
	}
});

/** A file with numbered lines, or lines startLine..endLine (1-based, inclusive, clamped). */
export const read = internalQuery({
	args: {
		projectId: v.id('projects'),
		path: v.string(),
		startLine: v.optional(v.number()),
		endLine: v.optional(v.number())
	},
	returns: vReadResult,
	handler: async (ctx, { projectId, path: input, startLine, endLine }) => {
		await loadProject(ctx, projectId);
		const path = cleanPath(input);
		if (!path.ok) return path;
		const file = await loadFile(ctx, projectId, path.path);
		if (!file.ok) return file;
		const shown = readLines(file.content, { startLine, endLine });
		const range = shown.endLine === 0 ? 'no lines' : `lines ${shown.startLine}-${shown.endLine}`;
		return {
			ok: true as const,
			summary: `${path.path}: ${range} of ${shown.totalLines}.`,
			path: path.path,
			text: shown.text,
			startLine: shown.startLine,
			endLine: shown.endLine,
			totalLines: shown.totalLines,
			...(shown.note ? { note: shown.note } : {})
		};
	}
});

/** Lines matching a literal text or a regular expression, as `path:line: text`. */
export const search = internalQuery({
	args: {
		projectId: v.id('projects'),
		query: v.string(),
		regex: v.optional(v.boolean()),
		ignoreCase: v.optional(v.boolean()),
		glob: v.optional(v.string())
	},
	returns: vSearchResult,
	handler: async (ctx, { projectId, query, regex, ignoreCase, glob }) => {
		await loadProject(ctx, projectId);
		const include = globFilter(glob);
		if (!include.ok) return include;
		// A bad query is answered before any content is read.
		const compiled = compileQuery({ query, regex, ignoreCase });
		if (!compiled.ok) return toolError('INVALID_ARGUMENT', compiled.error);
		const rows = (await fileRows(ctx, projectId)).filter((f) => include.test(f.path));
		// Blobs shared by several paths are read once; past the budget the search stops and says
		// where, so one query never reads more than Convex allows.
		let bytesRead = 0;
		let stoppedAt: string | null = null;
		const contents = new Map<string, string>();
		const loaded: SearchFile[] = [];
		for (const row of rows) {
			let content = contents.get(row.hash);
			if (content === undefined) {
				if (bytesRead + row.size > SEARCH_READ_BYTES) {
					stoppedAt = row.path;
					break;
				}
				bytesRead += row.size;
				content = (await findBlob(ctx, row.hash))?.content ?? '';
				contents.set(row.hash, content);
			}
			loaded.push({ path: row.path, content });
		}
		const result = searchFiles(loaded, { query, regex, ignoreCase, glob });
		if (!result.ok) return toolError('INVALID_ARGUMENT', result.error);
		const notes: string[] = [];
		if (result.truncated) {
			notes.push(
				`Only the first ${result.matches.length} matches are shown; narrow the query or the glob.`
			);
		}
		if (stoppedAt !== null) {
			notes.push(
				`The search stopped before ${stoppedAt} after reading ${Math.round(bytesRead / 1024)} KiB; pass a glob to search the rest.`
			);
		}
		const count = result.matches.length === 0 ? 'No matches' : `${result.matches.length} matches`;
		return {
			ok: true as const,
			summary: [`${count} in ${result.filesSearched} files.`, ...notes].join(' '),
			matches: result.matches,
			filesSearched: result.filesSearched,
			truncated: result.truncated || stoppedAt !== null
		};
	}
});

// ---------------------------------------------------------------------------------------------
// Writing

/** Creates or replaces a whole file. */
export const write = internalMutation({
	args: { ...vStepArgs, path: v.string(), content: v.string() },
	returns: vWriteResult,
	handler: async (ctx, { projectId, stepKey, path: input, content }) => {
		const project = await loadProject(ctx, projectId);
		checkStepKey(stepKey);
		const path = await writablePath(ctx, project, input);
		if (!path.ok) return path;
		const row = await getFileRow(ctx, projectId, path.path);
		const bytes = utf8Bytes(content);
		const room = checkRoom(project, path.path, bytes, row);
		if (room) return room;
		const lines = splitLines(content).length;
		const hash = await sha256Hex(content);
		const created = row === null;
		if (row?.hash === hash) {
			const summary = `${path.path} already had this content; nothing changed.`;
			return {
				ok: true as const,
				summary,
				checkpointId: null,
				path: path.path,
				created,
				bytes,
				lines
			};
		}
		const checkpointId = await commit(
			ctx,
			project,
			stepKey,
			[path.path],
			[{ kind: 'write', path: path.path, content, baseHash: row?.hash ?? null }]
		);
		const summary = `${created ? 'Created' : 'Wrote'} ${path.path} (${lines} lines, ${bytes} bytes).`;
		return { ok: true as const, summary, checkpointId, path: path.path, created, bytes, lines };
	}
});

/**
 * Exact search/replace edits to one file, applied in order, all or nothing: each search text
 * must occur exactly once in the text the previous edits left.
 */
export const edit = internalMutation({
	args: { ...vStepArgs, path: v.string(), edits: v.array(vSearchReplace) },
	returns: vEditResult,
	handler: async (ctx, { projectId, stepKey, path: input, edits }) => {
		const project = await loadProject(ctx, projectId);
		checkStepKey(stepKey);
		const path = await writablePath(ctx, project, input);
		if (!path.ok) return path;
		if (edits.length > MAX_EDITS_PER_CALL) {
			return toolError('TOO_MANY', `At most ${MAX_EDITS_PER_CALL} edits per call; split them.`);
		}
		const file = await loadFile(ctx, projectId, path.path, ' To create it, write it instead.');
		if (!file.ok) return file;
		const applied = applySearchReplace(file.content, edits, { path: path.path });
		if (!applied.ok) return toolError('CONFLICT', applied.error);
		const bytes = utf8Bytes(applied.content);
		const room = checkRoom(project, path.path, bytes, file.row);
		if (room) return room;
		const lines = splitLines(applied.content).length;
		const { removedLines, addedLines } = applied;
		const counts = { bytes, lines, editsApplied: edits.length, removedLines, addedLines };
		if (applied.content === file.content) {
			const summary = `The edits left ${path.path} as it was; nothing changed.`;
			return { ok: true as const, summary, checkpointId: null, path: path.path, ...counts };
		}
		const checkpointId = await commit(
			ctx,
			project,
			stepKey,
			[path.path],
			[{ kind: 'write', path: path.path, content: applied.content, baseHash: file.row.hash }]
		);
		const summary =
			`Edited ${path.path}: ${edits.length} ${edits.length === 1 ? 'edit' : 'edits'}, ` +
			`-${removedLines} +${addedLines} lines; now ${lines} lines.`;
		return { ok: true as const, summary, checkpointId, path: path.path, ...counts };
	}
});

/** Deletes a file. */
export const remove = internalMutation({
	args: { ...vStepArgs, path: v.string() },
	returns: vRemoveResult,
	handler: async (ctx, { projectId, stepKey, path: input }) => {
		const project = await loadProject(ctx, projectId);
		checkStepKey(stepKey);
		const path = await writablePath(ctx, project, input);
		if (!path.ok) return path;
		const row = await getFileRow(ctx, projectId, path.path);
		if (!row) return await notFound(ctx, projectId, path.path);
		const checkpointId = await commit(
			ctx,
			project,
			stepKey,
			[path.path],
			[{ kind: 'delete', path: path.path, baseHash: row.hash }]
		);
		return { ok: true as const, summary: `Deleted ${path.path}.`, checkpointId, path: path.path };
	}
});

/** Moves a file to a path that does not exist yet. */
export const rename = internalMutation({
	args: { ...vStepArgs, from: v.string(), to: v.string() },
	returns: vRenameResult,
	handler: async (ctx, { projectId, stepKey, from: fromInput, to: toInput }) => {
		const project = await loadProject(ctx, projectId);
		checkStepKey(stepKey);
		const from = await writablePath(ctx, project, fromInput);
		if (!from.ok) return from;
		const to = await writablePath(ctx, project, toInput);
		if (!to.ok) return to;
		if (from.path === to.path) {
			return toolError('INVALID_ARGUMENT', `from and to are both ${from.path}.`);
		}
		const row = await getFileRow(ctx, projectId, from.path);
		if (!row) return await notFound(ctx, projectId, from.path);
		if (await getFileRow(ctx, projectId, to.path)) {
			return toolError(
				'CONFLICT',
				`${to.path} already exists. Delete it first, or rename to another path.`
			);
		}
		const checkpointId = await commit(
			ctx,
			project,
			stepKey,
			[from.path, to.path],
			[{ kind: 'rename', from: from.path, to: to.path, baseHash: row.hash }]
		);
		const summary = `Renamed ${from.path} to ${to.path}.`;
		return { ok: true as const, summary, checkpointId, from: from.path, to: to.path };
	}
});

// ---------------------------------------------------------------------------------------------
// Helpers

function toolError(code: ErrorCode, error: string): ToolError {
	return { ok: false, code, error };
}

async function loadProject(ctx: QueryCtx, projectId: Id<'projects'>) {
	const project = await ctx.db.get(projectId);
	if (!project) fail('NOT_FOUND', 'Project not found.');
	return project;
}

function checkStepKey(stepKey: string) {
	if (stepKey.length === 0 || stepKey.length > STEP_KEY_LENGTH) {
		fail('INVALID_ARGUMENT', `stepKey must be 1 to ${STEP_KEY_LENGTH} characters.`);
	}
}

async function fileRows(ctx: QueryCtx, projectId: Id<'projects'>) {
	return await ctx.db
		.query('files')
		.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId))
		.take(LIMITS.filesPerProject);
}

function globFilter(glob: string | undefined) {
	try {
		return { ok: true as const, test: pathFilter(glob) };
	} catch (e) {
		const reason = e instanceof Error ? e.message : String(e);
		return toolError('INVALID_ARGUMENT', `Invalid glob ${JSON.stringify(glob)}: ${reason}`);
	}
}

function cleanPath(input: string) {
	// Models often write paths from the project root with a leading './'.
	const check = checkPath(input.replace(/^\.\//, ''));
	if (check.ok) return check;
	return toolError('INVALID_PATH', `${JSON.stringify(input.slice(0, 80))}: ${check.reason}`);
}

/** A valid path that the project's template does not protect. */
async function writablePath(ctx: QueryCtx, project: Doc<'projects'>, input: string) {
	const path = cleanPath(input);
	if (!path.ok) return path;
	const globs = await protectedGlobs(ctx, project);
	const rule = firstMatchingGlob(globs, path.path);
	if (rule === null) return path;
	return toolError(
		'PROTECTED',
		`${path.path} is protected by the project's template (it matches ${JSON.stringify(rule)}): ` +
			'tools maintain it, so it cannot be written, edited, deleted or renamed. Change other files instead.'
	);
}

/** Remix chains are followed this far back to find the template a project started from. */
const MAX_REMIX_HOPS = 10;

/** The protected globs of the template the project (or the project it remixes) came from. */
export async function protectedGlobs(ctx: QueryCtx, project: Doc<'projects'>): Promise<string[]> {
	let origin = project.origin;
	for (let hop = 0; hop < MAX_REMIX_HOPS && origin.kind === 'remix'; hop++) {
		const source = await ctx.db.get(origin.projectId);
		if (!source) return [];
		origin = source.origin;
	}
	if (origin.kind !== 'template') return [];
	return findTemplate(origin.templateId)?.protected ?? [];
}

/** A file's row and content, or a NOT_FOUND result that suggests similar paths. */
async function loadFile(
	ctx: QueryCtx,
	projectId: Id<'projects'>,
	path: string,
	hint = ''
): Promise<{ ok: true; row: Doc<'files'>; content: string } | ToolError> {
	const row = await getFileRow(ctx, projectId, path);
	if (!row) return await notFound(ctx, projectId, path, hint);
	const blob = await findBlob(ctx, row.hash);
	if (!blob) throw new Error(`blob ${row.hash} of ${path} missing`);
	return { ok: true, row, content: blob.content };
}

async function notFound(ctx: QueryCtx, projectId: Id<'projects'>, path: string, hint = '') {
	const name = baseName(path);
	const similar = (await fileRows(ctx, projectId))
		.filter((f) => baseName(f.path) === name)
		.slice(0, 5)
		.map((f) => f.path);
	const didYouMean = similar.length > 0 ? ` Files with that name: ${similar.join(', ')}.` : '';
	return toolError('NOT_FOUND', `${path} does not exist.${didYouMean}${hint}`);
}

/**
 * Rejects, before anything is written, a change the file store would refuse: the store's
 * own checks throw, which would end the tool call instead of telling the model.
 */
function checkRoom(
	project: Doc<'projects'>,
	path: string,
	bytes: number,
	existing: Doc<'files'> | null
): ToolError | null {
	if (bytes > LIMITS.fileBytes) {
		return toolError(
			'TOO_LARGE',
			`${path} would be ${bytes} bytes; files are limited to ${LIMITS.fileBytes}. Split it.`
		);
	}
	if (!existing && project.fileCount + 1 > LIMITS.filesPerProject) {
		return toolError('TOO_MANY', `The project already holds ${LIMITS.filesPerProject} files.`);
	}
	if (project.totalBytes - (existing?.size ?? 0) + bytes > LIMITS.projectBytes) {
		return toolError(
			'TOO_LARGE',
			`The project would exceed ${LIMITS.projectBytes / 1024 / 1024} MiB of files.`
		);
	}
	return null;
}

async function commit(
	ctx: MutationCtx,
	project: Doc<'projects'>,
	stepKey: string,
	paths: string[],
	edits: FileEdit[]
): Promise<Id<'checkpoints'> | null> {
	const result = await applyEdits(ctx, project, edits, {
		kind: 'agent',
		message: stepMessage(paths),
		updatedBy: 'agent',
		stepKey
	});
	return result?.checkpointId ?? null;
}
