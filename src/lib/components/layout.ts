// Below Tailwind's `md` breakpoint (768 px), pages with several panes show one at a time,
// picked from a TabBar. Pages test it with `new MediaQuery(PHONE_MEDIA)`; their `md:` classes
// must switch at the same width.
export const PHONE_MEDIA = 'max-width: 767px';
