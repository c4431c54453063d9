// A preview that loads or reloads (its first start, Vite's full reload after a dependency
// change) takes the keyboard focus in Chromium, so what the person was typing in the editor
// or the chat would go into the app. This gives the focus back when the preview took it while
// loading, unless the person moved into the preview (pointer over it, or Tab).

/** How close a focus change and the frame's load event must be to count as one reload. */
const LOAD_WINDOW_MS = 3_000;
const TAB_WINDOW_MS = 500;

export function guardFocus(iframe: HTMLIFrameElement) {
	let pointerInside = false;
	let tabbedAt = 0;
	let loadedAt = 0;
	let takenAt = 0;
	let lastFocus: HTMLElement | null =
		document.activeElement instanceof HTMLElement && document.activeElement !== document.body
			? document.activeElement
			: null;

	const restore = () => {
		takenAt = 0;
		if (document.activeElement === iframe && lastFocus?.isConnected) {
			lastFocus.focus({ preventScroll: true });
		}
	};
	const onFocusIn = (event: FocusEvent) => {
		if (event.target instanceof HTMLElement && event.target !== iframe) lastFocus = event.target;
	};
	const onKeyDown = (event: KeyboardEvent) => {
		if (event.key === 'Tab') tabbedAt = Date.now();
	};
	const onBlur = () => {
		// The frame's element becomes active a moment after the window blurs.
		setTimeout(() => {
			if (document.activeElement !== iframe || pointerInside) return;
			if (Date.now() - tabbedAt < TAB_WINDOW_MS) return;
			takenAt = Date.now();
			if (takenAt - loadedAt < LOAD_WINDOW_MS) restore();
		});
	};
	const onLoad = () => {
		loadedAt = Date.now();
		if (loadedAt - takenAt < LOAD_WINDOW_MS) restore();
	};
	const onPointerEnter = () => (pointerInside = true);
	const onPointerLeave = () => (pointerInside = false);

	iframe.addEventListener('load', onLoad);
	iframe.addEventListener('pointerenter', onPointerEnter);
	iframe.addEventListener('pointerleave', onPointerLeave);
	document.addEventListener('focusin', onFocusIn, true);
	document.addEventListener('keydown', onKeyDown, true);
	window.addEventListener('blur', onBlur);
	return {
		destroy() {
			iframe.removeEventListener('load', onLoad);
			iframe.removeEventListener('pointerenter', onPointerEnter);
			iframe.removeEventListener('pointerleave', onPointerLeave);
			document.removeEventListener('focusin', onFocusIn, true);
			document.removeEventListener('keydown', onKeyDown, true);
			window.removeEventListener('blur', onBlur);
		}
	};
}
