import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
	ERROR_REPORTER_SCRIPT,
	PREVIEW_MESSAGE_SOURCE,
	injectReporter,
	parsePreviewMessage
} from '../../src/lib/preview/errorReporter';

type Listener = (event: Record<string, unknown>) => void;
interface FakeNode {
	nodeName: string;
	textContent?: string;
	shadowRoot?: { querySelector(selector: string): { textContent: string } | null };
}

/** Runs the reporter against a minimal hand-made page: no DOM library, just the parts it uses. */
function fakePage(href = 'http://localhost:5173/') {
	const posted: Record<string, unknown>[] = [];
	const listeners = new Map<string, Listener[]>();
	const originalError = vi.fn();
	const fakeConsole = { error: originalError as (...args: unknown[]) => void };
	const location = { href };
	const navigate = (url: string) => (location.href = new URL(url, location.href).href);
	const history = {
		pushState: (_state: unknown, _title: string, url: string) => navigate(url),
		replaceState: (_state: unknown, _title: string, url: string) => navigate(url)
	};
	let pageHasFocus = false;
	const focused: string[] = [];
	class FakeElement {
		constructor(readonly name: string) {}
		focus() {
			focused.push(this.name);
		}
	}
	let observed: ((records: { addedNodes: FakeNode[] }[]) => void) | null = null;
	class FakeObserver {
		constructor(callback: (records: { addedNodes: FakeNode[] }[]) => void) {
			observed = callback;
		}
		observe() {}
	}
	const window = {
		parent: {
			postMessage(message: Record<string, unknown>, target: string) {
				expect(target).toBe('*');
				posted.push(message);
			}
		},
		addEventListener(type: string, listener: Listener) {
			listeners.set(type, [...(listeners.get(type) ?? []), listener]);
		},
		MutationObserver: FakeObserver,
		HTMLElement: FakeElement
	};
	const document = {
		documentElement: {},
		querySelector: () => null,
		hasFocus: () => pageHasFocus
	};
	const run = () =>
		new Function('window', 'console', 'document', 'location', 'history', ERROR_REPORTER_SCRIPT)(
			window,
			fakeConsole,
			document,
			location,
			history
		);
	run();
	return {
		posted,
		window,
		console: fakeConsole,
		originalError,
		history,
		location,
		run,
		errors: () => posted.filter((m) => m.type === 'error').map((m) => m.error),
		element: (name: string) => new FakeElement(name),
		focused,
		setFocus: (has: boolean) => (pageHasFocus = has),
		dispatch(type: string, event: Record<string, unknown>) {
			for (const listener of listeners.get(type) ?? []) listener(event);
		},
		addNodes(...nodes: FakeNode[]) {
			observed?.([{ addedNodes: nodes }]);
		}
	};
}

describe('ERROR_REPORTER_SCRIPT', () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
	});
	afterEach(() => vi.useRealTimers());

	test('in a frame, the page cannot take the focus until the person gave it the focus', () => {
		const page = fakePage();
		// SvelteKit focusing <body> as it starts, while the person types in the builder.
		page.element('BODY').focus();
		expect(page.focused).toEqual([]);
		page.setFocus(true);
		page.element('INPUT').focus();
		expect(page.focused).toEqual(['INPUT']);
	});

	test('posts the page URL when it loads', () => {
		const page = fakePage('http://localhost:5173/todos?x=1');
		expect(page.posted).toEqual([
			{ source: PREVIEW_MESSAGE_SOURCE, type: 'location', url: 'http://localhost:5173/todos?x=1' }
		]);
	});

	test('reports an uncaught error with its stack and where it happened', () => {
		const page = fakePage();
		const error = new TypeError('todos is undefined');
		page.dispatch('error', {
			message: 'Uncaught TypeError: todos is undefined',
			error,
			filename: 'http://localhost:5173/src/routes/+page.svelte',
			lineno: 12,
			colno: 5
		});
		expect(page.errors()).toEqual([
			{
				kind: 'uncaught',
				message: 'TypeError: todos is undefined',
				stack: error.stack,
				source: 'http://localhost:5173/src/routes/+page.svelte:12:5'
			}
		]);
	});

	test('reports a cross-origin "Script error." that carries no error object', () => {
		const page = fakePage();
		page.dispatch('error', { message: 'Script error.', error: null, filename: '' });
		expect(page.errors()).toEqual([
			{ kind: 'uncaught', message: 'Script error.', source: 'http://localhost:5173/' }
		]);
	});

	test('reports unhandled rejections, errors and plain values alike', () => {
		const page = fakePage();
		const error = new Error('fetch failed');
		page.dispatch('unhandledrejection', { reason: error });
		page.dispatch('unhandledrejection', { reason: { code: 42, detail: 'nope' } });
		page.dispatch('unhandledrejection', { reason: undefined });
		expect(page.errors()).toEqual([
			{
				kind: 'rejection',
				message: 'Error: fetch failed',
				stack: error.stack,
				source: 'http://localhost:5173/'
			},
			{
				kind: 'rejection',
				message: '{"code":42,"detail":"nope"}',
				source: 'http://localhost:5173/'
			},
			{ kind: 'rejection', message: 'undefined', source: 'http://localhost:5173/' }
		]);
	});

	test('console.error is reported and still reaches the real console', () => {
		const page = fakePage();
		const error = new Error('boom');
		page.console.error('Failed to load %s:', 'todos', error, { page: 2 });
		expect(page.originalError).toHaveBeenCalledWith('Failed to load %s:', 'todos', error, {
			page: 2
		});
		expect(page.errors()).toEqual([
			{
				kind: 'console',
				message: 'Failed to load todos: Error: boom {"page":2}',
				stack: error.stack,
				source: 'http://localhost:5173/'
			}
		]);
	});

	test('awkward console.error arguments are stringified safely and bounded', () => {
		const page = fakePage();
		const cyclic: Record<string, unknown> = { name: 'node' };
		cyclic.self = cyclic;
		const hostile = {
			get boom() {
				throw new Error('getter');
			}
		};
		page.console.error(cyclic, 10n, Symbol('s'), hostile);
		page.console.error('x'.repeat(10_000));
		const [first, second] = page.errors() as { message: string }[];
		expect(first.message).toBe('{"name":"node","self":"[circular]"} 10 Symbol(s) [object Object]');
		expect(second.message).toHaveLength(4_000);
		expect(page.originalError).toHaveBeenCalledTimes(2);
	});

	test('identical messages within a second are sent once', () => {
		const page = fakePage();
		page.console.error('same');
		page.console.error('same');
		page.console.error('different');
		vi.advanceTimersByTime(999);
		page.console.error('same');
		expect(page.errors()).toHaveLength(2);
		vi.advanceTimersByTime(1);
		page.console.error('same');
		expect(page.errors()).toHaveLength(3);
		// The console itself is never deduplicated.
		expect(page.originalError).toHaveBeenCalledTimes(5);
	});

	test("Vite's error overlay is reported as a build error", () => {
		const page = fakePage();
		const parts: Record<string, string> = {
			'.message-body': '  Expected "}" but found end of file  ',
			'.file': '/project/src/routes/+page.svelte:4:1'
		};
		page.addNodes(
			{ nodeName: 'DIV' },
			{
				nodeName: 'VITE-ERROR-OVERLAY',
				shadowRoot: {
					querySelector: (selector) => (parts[selector] ? { textContent: parts[selector] } : null)
				}
			}
		);
		page.addNodes({ nodeName: 'vite-error-overlay', textContent: 'Internal server error' });
		expect(page.errors()).toEqual([
			{
				kind: 'build',
				message: 'Expected "}" but found end of file',
				source: '/project/src/routes/+page.svelte:4:1'
			},
			{ kind: 'build', message: 'Internal server error', source: 'http://localhost:5173/' }
		]);
	});

	test('navigation through history and the hash is followed', () => {
		const page = fakePage();
		page.history.pushState(null, '', '/todos');
		page.history.replaceState(null, '', '/todos');
		page.location.href = 'http://localhost:5173/todos#done';
		page.dispatch('hashchange', {});
		page.location.href = 'http://localhost:5173/';
		page.dispatch('popstate', {});
		expect(page.posted.map((m) => m.url)).toEqual([
			'http://localhost:5173/',
			'http://localhost:5173/todos',
			'http://localhost:5173/todos#done',
			'http://localhost:5173/'
		]);
	});

	test('never throws into the app, and a second copy on the page does nothing', () => {
		const page = fakePage();
		page.run();
		page.console.error('once');
		expect(page.errors()).toHaveLength(1);
		page.window.parent.postMessage = () => {
			throw new Error('detached');
		};
		expect(() => page.console.error('later')).not.toThrow();
		expect(() =>
			page.dispatch('error', {
				get message(): string {
					throw new Error('x');
				}
			})
		).not.toThrow();
		expect(page.originalError).toHaveBeenCalledTimes(2);
	});

	test('everything it posts passes the parser unchanged', () => {
		const page = fakePage();
		page.console.error(new Error('a'));
		page.dispatch('unhandledrejection', { reason: 'b' });
		page.history.pushState(null, '', '/c');
		for (const message of page.posted) {
			const { source: _source, ...rest } = message;
			expect(parsePreviewMessage(message)).toEqual(rest);
		}
	});
});

describe('parsePreviewMessage', () => {
	const error = { kind: 'console', message: 'boom' };

	test.each([
		null,
		undefined,
		'appbuilder-preview',
		42,
		[],
		{},
		{ source: 'other', type: 'error', error },
		{ type: 'error', error },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'hello' },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error' },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error', error: [] },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error', error: { ...error, kind: 'fatal' } },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error', error: { ...error, kind: 'toString' } },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error', error: { ...error, message: '  ' } },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error', error: { ...error, message: 1 } },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error', error: { ...error, stack: {} } },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'error', error: { ...error, source: 7 } },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'location' },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'location', url: 42 },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'location', url: '/relative' },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'location', url: 'javascript:alert(1)' },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'location', url: 'data:text/html,hi' },
		{ source: PREVIEW_MESSAGE_SOURCE, type: 'location', url: `http://x.dev/${'a'.repeat(3000)}` }
	])('rejects %j', (data) => {
		expect(parsePreviewMessage(data)).toBeNull();
	});

	test('copies out only the known fields, bounded', () => {
		const parsed = parsePreviewMessage({
			source: PREVIEW_MESSAGE_SOURCE,
			type: 'error',
			error: {
				kind: 'uncaught',
				message: 'm'.repeat(5_000),
				stack: 'at x',
				source: '',
				extra: '<img onerror=alert(1)>'
			},
			more: true
		});
		expect(parsed).toEqual({
			type: 'error',
			error: { kind: 'uncaught', message: 'm'.repeat(3_999) + '…', stack: 'at x' }
		});
	});

	test('accepts an http(s) location', () => {
		expect(
			parsePreviewMessage({
				source: PREVIEW_MESSAGE_SOURCE,
				type: 'location',
				url: 'https://abc.local-credentialless.webcontainer-api.io/todos?x=1'
			})
		).toEqual({
			type: 'location',
			url: 'https://abc.local-credentialless.webcontainer-api.io/todos?x=1'
		});
	});
});

describe('injectReporter', () => {
	const tag = `<script>${ERROR_REPORTER_SCRIPT}</script>`;

	test('goes first inside <head>, attributes and case notwithstanding', () => {
		expect(injectReporter('<!doctype html><html><head><title>x</title></head></html>')).toBe(
			`<!doctype html><html><head>${tag}<title>x</title></head></html>`
		);
		expect(injectReporter('<HTML><HEAD data-x="1">\n<meta charset="utf-8"></HEAD>')).toBe(
			`<HTML><HEAD data-x="1">${tag}\n<meta charset="utf-8"></HEAD>`
		);
	});

	test('is not fooled by <header>', () => {
		expect(injectReporter('<body><header>x</header></body>')).toBe(
			`${tag}<body><header>x</header></body>`
		);
	});

	test('without <head> it goes at the start, after a doctype', () => {
		expect(injectReporter('<p>hi</p>')).toBe(`${tag}<p>hi</p>`);
		expect(injectReporter('\n<!DOCTYPE html>\n<p>hi</p>')).toBe(
			`\n<!DOCTYPE html>${tag}\n<p>hi</p>`
		);
	});

	test('the injected script cannot close its own tag early', () => {
		const html = injectReporter('<head></head>');
		expect(html.match(/<\/script/gi)).toHaveLength(1);
		const body = html.slice('<head><script>'.length, html.indexOf('</script>'));
		expect(() => new Function(body)).not.toThrow();
	});
});
