// The script that runs inside the generated app's pages and tells the builder about errors and
// navigation, and the parser for what it sends. The app is untrusted code: anything arriving
// through `postMessage` is validated here before the workbench looks at it.
import type { PreviewError, PreviewErrorKind } from './runtime';

export const PREVIEW_MESSAGE_SOURCE = 'appbuilder-preview';

/** Longest message (and stack) the reporter sends and the parser accepts. */
const MAX_TEXT = 4_000;
const MAX_URL = 2_048;

/**
 * A classic script (ES2020, no imports) injected into every HTML page of the preview. It posts
 * `{ source, type: 'error', error }` for uncaught errors, unhandled rejections, `console.error`
 * and Vite's error overlay, and `{ source, type: 'location', url }` whenever the page's URL
 * changes; and in a frame it keeps the page from taking the keyboard focus by itself. It never
 * throws into the app and runs once per page even when injected twice.
 */
export const ERROR_REPORTER_SCRIPT = `(function () {
	'use strict';
	try {
		var w = window;
		if (w.__appbuilderPreviewReporter) return;
		w.__appbuilderPreviewReporter = true;
		var SOURCE = ${JSON.stringify(PREVIEW_MESSAGE_SOURCE)};
		var MAX = ${MAX_TEXT};
		var DEDUPE_MS = 1000;
		var recent = new Map();
		var reporting = false;
		var lastUrl = null;

		var clip = function (text) {
			text = String(text);
			return text.length > MAX ? text.slice(0, MAX - 1) + '\\u2026' : text;
		};
		var post = function (message) {
			try {
				w.parent.postMessage(message, '*');
			} catch (e) {}
		};
		var report = function (kind, message, stack, source) {
			if (reporting) return;
			reporting = true;
			try {
				message = clip(message || 'Unknown error');
				var key = kind + '\\n' + message;
				var now = Date.now();
				var last = recent.get(key);
				if (last !== undefined && now - last < DEDUPE_MS) return;
				recent.set(key, now);
				if (recent.size > 50) {
					recent.forEach(function (at, k) {
						if (now - at >= DEDUPE_MS) recent.delete(k);
					});
				}
				var error = { kind: kind, message: message };
				if (typeof stack === 'string' && stack) error.stack = clip(stack);
				if (typeof source === 'string' && source) error.source = clip(source);
				post({ source: SOURCE, type: 'error', error: error });
			} catch (e) {
			} finally {
				reporting = false;
			}
		};

		var isErrorLike = function (value) {
			return (
				value !== null &&
				typeof value === 'object' &&
				typeof value.message === 'string' &&
				(value instanceof Error || typeof value.stack === 'string')
			);
		};
		var errorText = function (error) {
			var name = typeof error.name === 'string' && error.name ? error.name : 'Error';
			return error.message ? name + ': ' + error.message : name;
		};
		var json = function (value) {
			var seen = new WeakSet();
			var nodes = 0;
			var text = JSON.stringify(value, function (_key, v) {
				if (++nodes > 200) return '[\\u2026]';
				if (typeof v === 'bigint') return v.toString() + 'n';
				if (typeof v === 'function') return '[function ' + (v.name || 'anonymous') + ']';
				if (typeof v === 'symbol') return v.toString();
				if (v !== null && typeof v === 'object') {
					if (seen.has(v)) return '[circular]';
					seen.add(v);
					if (isErrorLike(v)) return errorText(v);
				}
				return v;
			});
			return text === undefined ? String(value) : text.length > 1000 ? text.slice(0, 1000) + '\\u2026' : text;
		};
		var describe = function (value) {
			try {
				if (typeof value === 'string') return value;
				if (isErrorLike(value)) return errorText(value);
				if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
					return String(value);
				}
				if (typeof value === 'function') return '[function ' + (value.name || 'anonymous') + ']';
				if (typeof Node !== 'undefined' && value instanceof Node) {
					return '<' + String(value.nodeName).toLowerCase() + '>';
				}
				return json(value);
			} catch (e) {
				try {
					return Object.prototype.toString.call(value);
				} catch (e2) {
					return '[unprintable]';
				}
			}
		};
		var format = function (args) {
			var rest = Array.prototype.slice.call(args);
			var parts = [];
			if (typeof rest[0] === 'string' && rest[0].indexOf('%') !== -1) {
				var template = rest.shift();
				parts.push(
					template.replace(/%[sdifoOc%]/g, function (token) {
						if (token === '%%') return '%';
						if (rest.length === 0) return token;
						var arg = rest.shift();
						if (token === '%c') return '';
						if (token === '%d' || token === '%i') return String(parseInt(arg, 10));
						if (token === '%f') return String(parseFloat(arg));
						return describe(arg);
					})
				);
			}
			for (var i = 0; i < rest.length; i++) parts.push(describe(rest[i]));
			return parts.join(' ');
		};
		var firstStack = function (args) {
			for (var i = 0; i < args.length; i++) {
				if (isErrorLike(args[i]) && typeof args[i].stack === 'string') return args[i].stack;
			}
			return undefined;
		};

		w.addEventListener('error', function (event) {
			try {
				var error = event.error;
				var message = isErrorLike(error) ? errorText(error) : event.message;
				var source = event.filename
					? event.filename + (event.lineno ? ':' + event.lineno + ':' + (event.colno || 0) : '')
					: location.href;
				report('uncaught', message, isErrorLike(error) ? error.stack : undefined, source);
			} catch (e) {}
		});
		w.addEventListener('unhandledrejection', function (event) {
			try {
				var reason = event.reason;
				report(
					'rejection',
					describe(reason),
					isErrorLike(reason) ? reason.stack : undefined,
					location.href
				);
			} catch (e) {}
		});

		try {
			var original = console.error;
			if (typeof original === 'function') {
				console.error = function () {
					try {
						report('console', format(arguments), firstStack(arguments), location.href);
					} catch (e) {}
					return original.apply(this, arguments);
				};
			}
		} catch (e) {}

		var textOf = function (root, selector) {
			try {
				var node = root && root.querySelector ? root.querySelector(selector) : null;
				var text = node && node.textContent;
				return text ? String(text).trim() : '';
			} catch (e) {
				return '';
			}
		};
		var reportOverlay = function (overlay) {
			try {
				var root = overlay.shadowRoot;
				var message = textOf(root, '.message-body') || String(overlay.textContent || '').trim();
				var file = textOf(root, '.file');
				var stack = textOf(root, '.stack');
				report('build', message || 'The dev server reported a build error.', stack, file || location.href);
			} catch (e) {}
		};
		var isOverlay = function (node) {
			return !!node && typeof node.nodeName === 'string' && node.nodeName.toLowerCase() === 'vite-error-overlay';
		};
		try {
			// Vite appends its overlay to <body>; the check per added node is one string compare.
			var Observer = w.MutationObserver;
			if (typeof Observer === 'function' && document.documentElement) {
				new Observer(function (records) {
					try {
						for (var i = 0; i < records.length; i++) {
							var added = records[i].addedNodes || [];
							for (var j = 0; j < added.length; j++) {
								if (isOverlay(added[j])) reportOverlay(added[j]);
							}
						}
					} catch (e) {}
				}).observe(document.documentElement, { childList: true, subtree: true });
				var existing = document.querySelector('vite-error-overlay');
				if (existing) reportOverlay(existing);
			}
		} catch (e) {}

		// A page starting in the preview must not take the keyboard from the builder: SvelteKit
		// focuses <body> when it starts (and on navigation), and Chromium then moves the focus
		// into the frame, away from the editor or chat the person is typing in. In a frame,
		// focus() works only while the preview already has the focus (the person clicked or
		// tabbed into it); opened in a tab of its own the page is untouched.
		try {
			if (w.parent !== w) {
				var onlyWhenFocused = function (owner, name) {
					var original = owner && owner[name];
					if (typeof original !== 'function') return;
					owner[name] = function () {
						if (document.hasFocus()) return original.apply(this, arguments);
					};
				};
				onlyWhenFocused(w.HTMLElement && w.HTMLElement.prototype, 'focus');
				onlyWhenFocused(w.SVGElement && w.SVGElement.prototype, 'focus');
				onlyWhenFocused(w, 'focus');
			}
		} catch (e) {}

		var postLocation = function () {
			try {
				var url = String(location.href);
				if (url === lastUrl) return;
				lastUrl = url;
				post({ source: SOURCE, type: 'location', url: url });
			} catch (e) {}
		};
		var wrapHistory = function (name) {
			var method = history[name];
			if (typeof method !== 'function') return;
			history[name] = function () {
				var result = method.apply(this, arguments);
				postLocation();
				return result;
			};
		};
		try {
			wrapHistory('pushState');
			wrapHistory('replaceState');
		} catch (e) {}
		w.addEventListener('popstate', postLocation);
		w.addEventListener('hashchange', postLocation);
		w.addEventListener('load', postLocation);
		postLocation();
	} catch (e) {}
})();
`;

export type PreviewMessage =
	{ type: 'error'; error: Omit<PreviewError, 'at'> } | { type: 'location'; url: string };

const KINDS: ReadonlySet<string> = new Set<PreviewErrorKind>([
	'uncaught',
	'rejection',
	'console',
	'build'
]);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string, max: number): string {
	return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** An optional string field: absent is fine, anything but a string makes the message invalid. */
function optionalText(value: unknown, max: number): string | undefined | false {
	if (value === undefined) return undefined;
	if (typeof value !== 'string') return false;
	return value === '' ? undefined : clip(value, max);
}

/**
 * Reads a message posted by a preview page, or returns null when it is not one of ours. Only
 * known fields are copied out; text is bounded; a location must be an http(s) URL.
 */
export function parsePreviewMessage(data: unknown): PreviewMessage | null {
	if (!isRecord(data) || data.source !== PREVIEW_MESSAGE_SOURCE) return null;
	if (data.type === 'error') {
		const error = data.error;
		if (!isRecord(error)) return null;
		const { kind, message } = error;
		if (typeof kind !== 'string' || !KINDS.has(kind)) return null;
		if (typeof message !== 'string' || message.trim() === '') return null;
		const stack = optionalText(error.stack, MAX_TEXT);
		const source = optionalText(error.source, MAX_URL);
		if (stack === false || source === false) return null;
		const parsed: Omit<PreviewError, 'at'> = {
			kind: kind as PreviewErrorKind,
			message: clip(message, MAX_TEXT)
		};
		if (stack !== undefined) parsed.stack = stack;
		if (source !== undefined) parsed.source = source;
		return { type: 'error', error: parsed };
	}
	if (data.type === 'location') {
		const { url } = data;
		if (typeof url !== 'string' || url.length > MAX_URL) return null;
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			return null;
		}
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
		return { type: 'location', url: parsed.href };
	}
	return null;
}

const HEAD_OPEN = /<head(?:\s[^>]*)?>/i;
const LEADING_DOCTYPE = /^\s*<!doctype[^>]*>/i;

/**
 * Puts the reporter first in `<head>`, so it is listening before the app's own scripts run.
 * Without a `<head>` it goes after the doctype (before it, the page would render in quirks mode).
 */
export function injectReporter(html: string): string {
	const safe = ERROR_REPORTER_SCRIPT.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
	const tag = `<script>${safe}</script>`;
	const head = HEAD_OPEN.exec(html);
	const at = head ? head.index + head[0].length : (LEADING_DOCTYPE.exec(html)?.[0].length ?? 0);
	return html.slice(0, at) + tag + html.slice(at);
}
