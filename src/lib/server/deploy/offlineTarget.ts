// The offline deploy target: an emulator per project on this server, loading a snapshot of
// the project's convex/ folder as it was at the push, with an admin key so the static-hosting
// CLI uploads the built frontend into it as it would into a real deployment. It keeps its data
// in memory, and later edits to the project do not change it until the next deploy.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { startAppBackend, type AppBackend } from '../runtime/appBackend';
import { freePort } from '../runtime/ports';
import { cliEnvFor, type DeployTarget, type PushedBackend } from './target';

/** Offline deployments running at once; the one deployed longest ago stops for a new one. */
const MAX_RUNNING = 5;

interface Running {
	ports: { api: number; site: number };
	backend: AppBackend | null;
	deployedAt: number;
}

// Kept on globalThis: deployed apps must outlive a reload of this module by the dev server.
const state = globalThis as typeof globalThis & {
	__appbuilderOfflineDeployments?: Map<string, Running>;
};
const running = (state.__appbuilderOfflineDeployments ??= new Map());

export function offlineTarget(root: string, projectId: string): DeployTarget {
	return {
		description: 'an in-memory Convex emulator on the builder’s server',
		async push({ workDir, env, print }): Promise<PushedBackend> {
			if (!existsSync(join(workDir, 'convex', 'schema.ts'))) {
				throw new Error('The project has no convex/schema.ts, so there is no backend to push.');
			}
			const dir = join(root, 'deployments', projectId);
			// The snapshot resolves its imports through the project's installed dependencies.
			await rm(dir, { recursive: true, force: true });
			await mkdir(dir, { recursive: true });
			await cp(join(workDir, 'convex'), join(dir, 'convex'), { recursive: true });
			await symlink(join(workDir, 'node_modules'), join(dir, 'node_modules'), 'dir');

			const previous = running.get(projectId);
			if (previous?.backend) {
				print('[deploy] stopping the previous deployment (its in-memory data is discarded)\n');
				await previous.backend.process.kill();
			}
			await makeRoom(projectId, print);
			// The same ports as before, so an earlier deploy's URL keeps working.
			const ports = previous?.ports ?? { api: await freePort(), site: await freePort() };
			const entry: Running = { ports, backend: null, deployedAt: Date.now() };
			running.set(projectId, entry);
			const adminKey = randomBytes(24).toString('hex');
			entry.backend = await startAppBackend(join(dir, 'convex'), ports, print, { adminKey, env });
			const url = `http://127.0.0.1:${ports.api}`;
			return {
				url,
				siteUrl: `http://127.0.0.1:${ports.site}`,
				// How the Convex CLI (and so the static-hosting upload) reaches a self-hosted backend.
				cliEnv: cliEnvFor({ CONVEX_SELF_HOSTED_URL: url, CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey }),
				uploadFlags: []
			};
		}
	};
}

async function makeRoom(projectId: string, print: (text: string) => void) {
	const others = [...running.entries()]
		.filter(([id, r]) => id !== projectId && r.backend)
		.sort((a, b) => a[1].deployedAt - b[1].deployedAt);
	while (others.length >= MAX_RUNNING) {
		const [id, oldest] = others.shift()!;
		print(`[deploy] ${MAX_RUNNING} offline deployments are running; stopping the oldest\n`);
		await oldest.backend?.process.kill();
		running.delete(id);
	}
}
