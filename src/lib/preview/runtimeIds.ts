// What names a local runtime on the server: a project id (its owner's workbench), or a share
// view's id, made of the share token and a random viewer id, for a read-only preview that
// anyone holding the link may run. Shared by the browser and the server's access check.

const SHARE = /^share-([A-Za-z0-9_-]{32})-([0-9a-f]{12})$/;

export function shareRuntimeId(token: string, viewer: string): string {
	return `share-${token}-${viewer}`;
}

/** The share token a share view's runtime id holds, or null for a project's runtime. */
export function shareTokenOf(runtimeId: string): string | null {
	return SHARE.exec(runtimeId)?.[1] ?? null;
}
