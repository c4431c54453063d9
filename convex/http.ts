import { httpRouter } from 'convex/server';
import { auth } from './auth';

const http = httpRouter();

// Serves /.well-known/openid-configuration, the JWKS and OAuth callbacks.
auth.addHttpRoutes(http);

export default http;
