// Settings the Playwright config and the global setup share.

/** The local runtime's root in browser tests (work dirs and the dependency cache). */
export const E2E_RUNTIME_DIR = '/tmp/appbuilder-e2e-runtime';
/** The template most tests start from; its dependencies are installed before the tests. */
export const E2E_TEMPLATE_DIR = 'templates/sveltekit-convex';

/**
 * A stand-in for a person's self-hosted Convex backend: an emulator that accepts
 * `npx convex deploy` pushes (tests/harness/emulator, --accept-pushes), with its admin key.
 */
export const SELF_HOSTED_PORT = 3340;
export const SELF_HOSTED_ADMIN_KEY = 'e2e-self-hosted-admin-key-5d1c';
