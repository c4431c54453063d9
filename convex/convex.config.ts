// Convex components the builder uses: the agent (threads, messages, stream deltas) and the
// rate limiter (runs per user per minute).
import agent from '@convex-dev/agent/convex.config';
import rateLimiter from '@convex-dev/rate-limiter/convex.config';
import { defineApp } from 'convex/server';

const app = defineApp();
app.use(agent);
app.use(rateLimiter);

export default app;
