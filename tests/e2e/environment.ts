// Settings the Playwright config and the global setup share.

/** The local runtime's root in browser tests (work dirs and the dependency cache). */
export const E2E_RUNTIME_DIR = '/tmp/appbuilder-e2e-runtime';
/** The template most tests start from; its dependencies are installed before the tests. */
export const E2E_TEMPLATE_DIR = 'templates/sveltekit-convex';
