// The app's components. Static hosting serves the built frontend from this same deployment
// (see http.ts); the builder's one-click deploy uploads the build into it.
import { defineApp } from 'convex/server';
import staticHosting from '@convex-dev/static-hosting/convex.config';

const app = defineApp();
app.use(staticHosting);

export default app;
