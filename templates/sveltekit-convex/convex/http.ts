// HTTP routes: the built frontend, served from the deployment's .convex.site URL with the
// index.html fallback a single-page app needs. Routes of your own go before the static ones.
import { componentsGeneric, httpRouter } from 'convex/server';
import { registerStaticRoutes } from '@convex-dev/static-hosting';
import type { ComponentApi } from '@convex-dev/static-hosting/_generated/component.js';

// `components` from ./_generated/api, spelled out: codegen without a deployment
// (npm run convex:codegen) does not write that export.
const components = componentsGeneric() as unknown as {
	staticHosting: ComponentApi<'staticHosting'>;
};

const http = httpRouter();
registerStaticRoutes(http, components.staticHosting);

export default http;
