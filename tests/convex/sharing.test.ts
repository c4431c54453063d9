// Remix and share links: a remix copies no content and leaves the source alone; a share link
// opens a project read-only for anyone until it is revoked; the gallery shows public projects.
import { describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import type { Id } from '../../convex/_generated/dataModel';
import { sha256Hex } from '../../convex/model/blobs';
import { appErrorOf } from '../../src/lib/shared/errors';
import { setup, signedIn, snapshotTables, type Test } from './setup';

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
	try {
		await promise;
		return null;
	} catch (error) {
		return appErrorOf(error)?.code ?? 'non-app error';
	}
}

/** Alice's project with two checkpoints: v1 (a.txt, b.txt), then v2 (a.txt changed, c.txt). */
async function aliceProject() {
	const t = await setup();
	const alice = await signedIn(t, 'alice@example.com');
	const projectId = await alice.as.mutation(api.projects.create, { name: 'Alice app' });
	const first = await alice.as.mutation(api.files.save, {
		projectId,
		edits: [
			{ kind: 'write', path: 'a.txt', content: 'a1', baseHash: null },
			{ kind: 'write', path: 'b.txt', content: 'b1', baseHash: null }
		]
	});
	await alice.as.mutation(api.files.save, {
		projectId,
		edits: [
			{ kind: 'write', path: 'a.txt', content: 'a2', baseHash: await sha256Hex('a1') },
			{ kind: 'write', path: 'c.txt', content: 'c2', baseHash: null },
			{ kind: 'delete', path: 'b.txt', baseHash: await sha256Hex('b1') }
		]
	});
	return { t, alice, projectId, firstCheckpointId: first.checkpointId! };
}

function tree(files: { path: string; hash: string }[]) {
	return files.map(({ path, hash }) => ({ path, hash }));
}

async function projectRows(t: Test, projectId: Id<'projects'>) {
	return await t.run(async (ctx) => ({
		project: await ctx.db.get(projectId),
		files: await ctx.db
			.query('files')
			.withIndex('by_projectId_and_path', (q) => q.eq('projectId', projectId))
			.collect(),
		checkpoints: await ctx.db
			.query('checkpoints')
			.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId))
			.collect(),
		fileChanges: await ctx.db
			.query('fileChanges')
			.withIndex('by_projectId_and_seq', (q) => q.eq('projectId', projectId))
			.collect()
	}));
}

describe('remix', () => {
	test('my own project at its head: identical hashes, no blobs written, source unchanged', async () => {
		const { t, alice, projectId } = await aliceProject();
		const sourceBefore = await projectRows(t, projectId);
		const blobsBefore = await t.run((ctx) => ctx.db.query('blobs').collect());

		const remixId = await alice.as.mutation(api.projects.remix, { projectId });

		expect(tree(await alice.as.query(api.files.list, { projectId: remixId }))).toEqual(
			tree(await alice.as.query(api.files.list, { projectId }))
		);
		expect(await t.run((ctx) => ctx.db.query('blobs').collect())).toEqual(blobsBefore);
		expect(await projectRows(t, projectId)).toEqual(sourceBefore);

		const remix = await alice.as.query(api.projects.get, { projectId: remixId });
		expect(remix).toMatchObject({
			name: 'Alice app (remix)',
			visibility: 'private',
			fileCount: 2,
			origin: { kind: 'remix', projectId, checkpointId: sourceBefore.project!.headCheckpointId }
		});
		const rows = await projectRows(t, remixId);
		expect(rows.checkpoints).toMatchObject([
			{ seq: 1, kind: 'remix', message: 'Remixed from Alice app', changeCount: 2 }
		]);
		expect(rows.fileChanges).toEqual([]);
		expect(rows.project!.totalBytes).toBe(4);
		// The remix is a working project: its baseline content is readable and editable.
		const [a] = await alice.as.query(api.files.read, {
			projectId: remixId,
			hashes: [await sha256Hex('a2')]
		});
		expect(a.content).toBe('a2');
		await alice.as.mutation(api.files.save, {
			projectId: remixId,
			edits: [{ kind: 'write', path: 'a.txt', content: 'a3', baseHash: await sha256Hex('a2') }]
		});
		const diff = await alice.as.query(api.checkpoints.diff, {
			projectId: remixId,
			toCheckpointId: rows.checkpoints[0]._id
		});
		expect(diff.map((c) => c.path)).toEqual(['a.txt', 'c.txt']);
		expect(await projectRows(t, projectId)).toEqual(sourceBefore);
	});

	test("an older checkpoint gives that checkpoint's files", async () => {
		const { t, alice, projectId, firstCheckpointId } = await aliceProject();
		const remixId = await alice.as.mutation(api.projects.remix, {
			projectId,
			checkpointId: firstCheckpointId
		});
		expect(tree(await alice.as.query(api.files.list, { projectId: remixId }))).toEqual([
			{ path: 'a.txt', hash: await sha256Hex('a1') },
			{ path: 'b.txt', hash: await sha256Hex('b1') }
		]);
		const remix = await alice.as.query(api.projects.get, { projectId: remixId });
		expect(remix.origin).toEqual({ kind: 'remix', projectId, checkpointId: firstCheckpointId });
		expect((await projectRows(t, remixId)).project!.totalBytes).toBe(4);
	});

	test("someone else's project or checkpoint cannot be remixed by id", async () => {
		const { t, projectId, firstCheckpointId } = await aliceProject();
		const bob = await signedIn(t);
		const bobProject = await bob.as.mutation(api.projects.create, { name: 'Bob' });
		await bob.as.mutation(api.files.save, {
			projectId: bobProject,
			edits: [{ kind: 'write', path: 'x.txt', content: 'x', baseHash: null }]
		});
		const before = await snapshotTables(t);
		expect(await codeOf(bob.as.mutation(api.projects.remix, { projectId }))).toBe('NOT_FOUND');
		expect(
			await codeOf(
				bob.as.mutation(api.projects.remix, {
					projectId: bobProject,
					checkpointId: firstCheckpointId
				})
			)
		).toBe('NOT_FOUND');
		expect(await snapshotTables(t)).toEqual(before);
	});

	test('a project with no checkpoint yet has nothing to remix', async () => {
		const t = await setup();
		const me = await signedIn(t);
		const projectId = await me.as.mutation(api.projects.create, { name: 'Empty' });
		expect(await codeOf(me.as.mutation(api.projects.remix, { projectId }))).toBe(
			'INVALID_ARGUMENT'
		);
	});

	test('a long name still fits, and the per-person project limit holds', async () => {
		const { t, alice, projectId } = await aliceProject();
		await alice.as.mutation(api.projects.rename, { projectId, name: 'x'.repeat(80) });
		const remixId = await alice.as.mutation(api.projects.remix, { projectId });
		const remix = await alice.as.query(api.projects.get, { projectId: remixId });
		expect(remix.name).toBe('x'.repeat(72) + ' (remix)');

		await t.run(async (ctx) => {
			for (let i = 0; i < 198; i++) {
				await ctx.db.insert('projects', {
					ownerId: alice.userId,
					name: `p${i}`,
					origin: { kind: 'blank' },
					visibility: 'private',
					checkpointSeq: 0,
					fileCount: 0,
					totalBytes: 0,
					updatedAt: i
				});
			}
		});
		expect(await codeOf(alice.as.mutation(api.projects.remix, { projectId }))).toBe('TOO_MANY');
	});
});

describe('share links', () => {
	test('read works signed out, until the link is revoked', async () => {
		const { t, alice, projectId } = await aliceProject();
		const token = await alice.as.mutation(api.projects.createShareLink, { projectId });
		// Asking again gives the live link rather than silently killing it.
		expect(await alice.as.mutation(api.projects.createShareLink, { projectId })).toBe(token);
		expect(await alice.as.query(api.projects.sharing, { projectId })).toEqual({
			visibility: 'private',
			shareToken: token
		});

		const shared = await t.query(api.shares.get, { token });
		expect(shared.name).toBe('Alice app');
		expect(tree(shared.files)).toEqual(tree(await alice.as.query(api.files.list, { projectId })));
		expect(JSON.stringify(shared)).not.toContain(alice.userId);
		expect(JSON.stringify(shared)).not.toContain('alice@');
		const [c] = await t.query(api.shares.read, { token, hashes: [await sha256Hex('c2')] });
		expect(c.content).toBe('c2');
		// Old versions of the project's own files are readable, other content is not.
		await t.query(api.shares.read, { token, hashes: [await sha256Hex('b1')] });
		expect(
			await codeOf(t.query(api.shares.read, { token, hashes: [await sha256Hex('other')] }))
		).toBe('NOT_FOUND');
		expect((await t.query(api.shares.checkpoints, { token })).map((c) => c.seq)).toEqual([2, 1]);

		await alice.as.mutation(api.projects.revokeShareLink, { projectId });
		expect(await codeOf(t.query(api.shares.get, { token }))).toBe('NOT_FOUND');
		expect(await codeOf(t.query(api.shares.read, { token, hashes: [c.hash] }))).toBe('NOT_FOUND');
		expect(await codeOf(t.query(api.shares.checkpoints, { token }))).toBe('NOT_FOUND');
		const guest = await signedIn(t);
		expect(await codeOf(guest.as.mutation(api.shares.remix, { token }))).toBe('NOT_FOUND');

		// A new link is a new token; the old one stays dead.
		const again = await alice.as.mutation(api.projects.createShareLink, { projectId });
		expect(again).not.toBe(token);
		expect(await codeOf(t.query(api.shares.get, { token }))).toBe('NOT_FOUND');
		expect((await t.query(api.shares.get, { token: again })).name).toBe('Alice app');
	});

	test('a guest remixes through the link: identical hashes, no blobs, source unchanged', async () => {
		const { t, alice, projectId } = await aliceProject();
		const token = await alice.as.mutation(api.projects.createShareLink, { projectId });
		const sourceBefore = await projectRows(t, projectId);
		const blobsBefore = await t.run((ctx) => ctx.db.query('blobs').collect());
		const guest = await signedIn(t);

		expect(await codeOf(t.mutation(api.shares.remix, { token }))).toBe('UNAUTHENTICATED');
		const remixId = await guest.as.mutation(api.shares.remix, { token });

		expect(tree(await guest.as.query(api.files.list, { projectId: remixId }))).toEqual(
			tree((await t.query(api.shares.get, { token })).files)
		);
		expect((await guest.as.query(api.projects.get, { projectId: remixId })).origin).toEqual({
			kind: 'remix',
			projectId,
			checkpointId: sourceBefore.project!.headCheckpointId
		});
		expect(await t.run((ctx) => ctx.db.query('blobs').collect())).toEqual(blobsBefore);
		expect(await projectRows(t, projectId)).toEqual(sourceBefore);
		// The remix is the guest's, not shared, and Alice cannot see it.
		expect(await guest.as.query(api.projects.sharing, { projectId: remixId })).toEqual({
			visibility: 'private',
			shareToken: null
		});
		expect(await codeOf(alice.as.query(api.projects.get, { projectId: remixId }))).toBe(
			'NOT_FOUND'
		);
	});

	test("a stranger cannot create or revoke links or change visibility of someone else's project", async () => {
		const { t, alice, projectId } = await aliceProject();
		const token = await alice.as.mutation(api.projects.createShareLink, { projectId });
		const stranger = await signedIn(t, 'mallory@example.com');
		const before = await snapshotTables(t);
		for (const attempt of [
			stranger.as.mutation(api.projects.createShareLink, { projectId }),
			stranger.as.mutation(api.projects.revokeShareLink, { projectId }),
			stranger.as.mutation(api.projects.setVisibility, { projectId, visibility: 'public' }),
			stranger.as.query(api.projects.sharing, { projectId })
		]) {
			expect(await codeOf(attempt)).toBe('NOT_FOUND');
		}
		expect(await snapshotTables(t)).toEqual(before);
		expect((await t.query(api.shares.get, { token })).name).toBe('Alice app');
	});

	test('tokens are long, URL-safe and different every time', async () => {
		const t = await setup();
		const me = await signedIn(t);
		const tokens = new Set<string>();
		for (let i = 0; i < 20; i++) {
			const projectId = await me.as.mutation(api.projects.create, { name: `p${i}` });
			const token = await me.as.mutation(api.projects.createShareLink, { projectId });
			// 24 random bytes: 32 base64url characters, 192 bits.
			expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
			tokens.add(token);
		}
		expect(tokens.size).toBe(20);
		// A token one character off is just an unknown token.
		const [token] = tokens;
		const near = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
		expect(await codeOf(t.query(api.shares.get, { token: near }))).toBe('NOT_FOUND');
	});
});

describe('gallery', () => {
	test('lists only public projects, without emails or ids', async () => {
		const { t, alice, projectId } = await aliceProject();
		await t.run((ctx) => ctx.db.patch(alice.userId, { name: 'alice@example.com' }));
		const named = await signedIn(t, 'bob@example.com');
		await t.run((ctx) => ctx.db.patch(named.userId, { name: 'Bob Builder' }));
		const bobPublic = await named.as.mutation(api.projects.create, { name: 'Bob public' });
		await named.as.mutation(api.projects.create, { name: 'Bob private' });
		const shared = await named.as.mutation(api.projects.create, { name: 'Bob link only' });
		await named.as.mutation(api.projects.createShareLink, { projectId: shared });

		expect(await t.query(api.shares.gallery, {})).toEqual([]);
		const made = await alice.as.mutation(api.projects.setVisibility, {
			projectId,
			visibility: 'public'
		});
		// Going public gives the project the link the gallery points at.
		expect(made.shareToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
		await named.as.mutation(api.projects.setVisibility, {
			projectId: bobPublic,
			visibility: 'public'
		});

		const listed = await t.query(api.shares.gallery, {});
		expect(listed.map((p) => [p.name, p.ownerName]).sort()).toEqual([
			['Alice app', null],
			['Bob public', 'Bob Builder']
		]);
		const json = JSON.stringify(listed);
		expect(json).not.toContain('@');
		expect(json).not.toContain(alice.userId);
		expect(json).not.toContain(projectId);
		const alices = listed.find((p) => p.name === 'Alice app')!;
		expect((await t.query(api.shares.get, { token: alices.token })).name).toBe('Alice app');

		// Private again: off the gallery, though the link still works until revoked.
		await alice.as.mutation(api.projects.setVisibility, { projectId, visibility: 'private' });
		expect((await t.query(api.shares.gallery, {})).map((p) => p.name)).toEqual(['Bob public']);
		expect((await t.query(api.shares.get, { token: alices.token })).name).toBe('Alice app');
		// Revoking takes a public project out of the gallery too.
		await named.as.mutation(api.projects.revokeShareLink, { projectId: bobPublic });
		expect(await t.query(api.shares.gallery, {})).toEqual([]);
	});
});
