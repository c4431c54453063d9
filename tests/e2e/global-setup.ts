// Installs the main template's dependencies into the local runtime's cache before any test:
// every workbench test starts a preview, and the one that happened to come first would
// otherwise spend its time (and both cores, competing with its own browser) on npm install.
// The cache is the product's own (installDependencies); this only fills it early.
import { mkdtemp, copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installDependencies, MANIFESTS } from '../../src/lib/server/runtime/deps';
import { E2E_RUNTIME_DIR, E2E_TEMPLATE_DIR } from './environment';

export default async function globalSetup() {
	const work = await mkdtemp(join(tmpdir(), 'appbuilder-warm-'));
	try {
		for (const name of MANIFESTS) await copyFile(join(E2E_TEMPLATE_DIR, name), join(work, name));
		let output = '';
		const started = Date.now();
		const { cached } = await installDependencies(E2E_RUNTIME_DIR, work, {
			timeoutMs: 10 * 60_000,
			onOutput: (text) => (output += text)
		}).catch((error) => {
			throw new Error(`Installing the template's dependencies failed:\n${output}\n${error}`);
		});
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		console.log(
			`[e2e] template dependencies ${cached ? 'were cached' : `installed in ${seconds} s`}`
		);
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}
