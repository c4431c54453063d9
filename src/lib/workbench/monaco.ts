// Loads Monaco once, on demand, with its language workers. Workers only start inside the
// cross-origin-isolated workbench when their scripts carry the isolation headers too
// (see src/lib/server/isolation.js).
import type * as Monaco from 'monaco-editor';

let loading: Promise<typeof Monaco> | null = null;

export function loadMonaco(): Promise<typeof Monaco> {
	loading ??= (async () => {
		const [monaco, editorWorker, jsonWorker, cssWorker, htmlWorker, tsWorker] = await Promise.all([
			import('monaco-editor'),
			import('monaco-editor/editor/editor.worker?worker'),
			import('monaco-editor/languages/features/json/json.worker?worker'),
			import('monaco-editor/languages/features/css/css.worker?worker'),
			import('monaco-editor/languages/features/html/html.worker?worker'),
			import('monaco-editor/languages/features/typescript/ts.worker?worker')
		]);
		self.MonacoEnvironment = {
			getWorker(_id: string, label: string) {
				if (label === 'json') return new jsonWorker.default();
				if (label === 'css' || label === 'scss' || label === 'less') return new cssWorker.default();
				if (label === 'html' || label === 'handlebars' || label === 'razor') {
					return new htmlWorker.default();
				}
				if (label === 'typescript' || label === 'javascript') return new tsWorker.default();
				return new editorWorker.default();
			}
		};
		return monaco;
	})();
	return loading;
}

/** Monaco has no Svelte mode; HTML highlighting fits a component's markup best. */
const LANGUAGE_BY_EXTENSION: Record<string, string> = {
	svelte: 'html',
	vue: 'html',
	mjs: 'javascript',
	cjs: 'javascript',
	mts: 'typescript',
	cts: 'typescript'
};

/** Language id for a path, or undefined to let Monaco detect it from the file name. */
export function languageFor(path: string): string | undefined {
	const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
	return LANGUAGE_BY_EXTENSION[ext];
}
