// The builder is a client-rendered app: auth tokens live in the browser, and the workbench
// (Monaco, WebContainer) cannot render on a server anyway.
export const ssr = false;
