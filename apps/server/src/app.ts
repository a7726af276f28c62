import { relative } from 'node:path';
import { DomainError } from '@debrief/errors';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { rateLimiter } from 'hono-rate-limiter';
import { sameOrigin } from './auth/sameOrigin.ts';
import { clientAddress } from './context/requestContext.ts';
import { errorBody } from './errors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { briefingRoutes } from './routes/briefings.ts';
import { citationRoutes } from './routes/citations.ts';
import type { AppDeps } from './routes/deps.ts';
import { exportRoutes } from './routes/exports.ts';
import { healthRoutes } from './routes/health.ts';
import { SOURCE_BODY_PATHS, sourceRoutes } from './routes/sources.ts';
import { versionRoutes } from './routes/versions.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { staticFiles } from './staticFiles.ts';

export type { AppDeps } from './routes/deps.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Largest request body of any API route but those that take a whole source. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

function buildApi(deps: AppDeps) {
  return new OpenAPIHono()
    .route('/api', accountRoutes(deps))
    .route('/api', workspaceRoutes(deps))
    .route('/api', briefingRoutes(deps))
    .route('/api', sourceRoutes(deps))
    .route('/api', citationRoutes(deps))
    .route('/api', versionRoutes(deps))
    .route('/api', exportRoutes(deps));
}

/** The route types the web client's `hc<AppType>` is checked against. */
export type AppType = ReturnType<typeof buildApi>;

/**
 * The client closed the connection before its request was complete: reading the body (bodyLimit
 * does it itself for a chunked body) fails with Node's "aborted", and node-server aborts the
 * request's signal.
 */
const clientHungUp = (error: unknown, request: Request): boolean =>
  request.signal.aborted ||
  ((error as { code?: unknown }).code === 'ECONNRESET' && (error as Error).message === 'aborted');

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono();
  // nosniff above all: a source's raw original is served as text/plain and must never be
  // interpreted as HTML by a browser, whatever it contains.
  app.use('*', secureHeaders());

  app.onError((error, c) => {
    // Every package's failures are DomainErrors with their code, status and a message for people.
    if (error instanceof DomainError) return c.json(errorBody(error.code, error.message, error.details), error.status);
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own refusals (malformed JSON, a body of a content type the route does not take)
      // are the client's to fix; each status keeps the one code the error table gives it.
      if (error.status === 415) {
        return c.json(
          errorBody('unsupported_media_type', 'This route does not take a body of this Content-Type.'),
          415,
        );
      }
      return c.json(errorBody('invalid_request', error.message), error.status);
    }
    if (clientHungUp(error, c.req.raw)) {
      // Nobody will read this answer, and the server did nothing wrong: no error to log.
      deps.logger.debug({ method: c.req.method, path: c.req.path }, 'client closed the connection mid-request');
      return c.json(errorBody('invalid_request', 'The request ended before it was complete.'), 400);
    }
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('internal_error', 'Something went wrong on the server.'), 500);
  });

  // Without a limit, a route reads any body whole into memory, however large.
  const apiBodyLimit = bodyLimit({
    maxSize: MAX_API_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', 'The request body is larger than the limit of 1 MB.'), 413),
  });
  app.use('/api/*', (c, next) => (SOURCE_BODY_PATHS.has(c.req.path) ? next() : apiBodyLimit(c, next)));

  // Guessing a setup code or making accounts through invitation links in bulk: the same budget per
  // address as sign-in (better-auth limits that one itself).
  const accountMaking = rateLimiter({
    windowMs: 60_000,
    limit: deps.signInPerMinute,
    keyGenerator: (c) => clientAddress(c) ?? 'unknown',
    handler: (c) =>
      c.json(errorBody('rate_limited', 'Too many attempts from this address. Wait a minute and try again.'), 429),
  });
  for (const path of ['/api/setup', '/api/invitations/:token/accept']) {
    app.post(path, accountMaking);
  }

  // Cookie-authenticated changes come from Debrief's own pages only (CSRF). A token in the
  // Authorization header is no ambient authority, and a request without a cookie has none.
  app.use('/api/*', async (c, next) => {
    const headers = c.req.raw.headers;
    if (SAFE_METHODS.has(c.req.method) || headers.has('authorization') || !headers.has('cookie')) return next();
    if (!sameOrigin(headers, c.req.url, deps.publicUrl)) {
      throw new DomainError('forbidden_origin', 403, 'This request did not come from a Debrief page.');
    }
    return next();
  });

  app.route('/', healthRoutes(deps));
  app.route('/', buildApi(deps));
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Debrief API', version: '0.1.0', description: 'Briefings, sources and citations.' },
  });
  app.all('/api/*', (c) => c.json(errorBody('not_found', `No API route ${c.req.method} ${c.req.path}.`), 404));
  // Anything else no route answers (any path while the web app is not built, POST /page) is
  // answered in the same shape as every other error, not Hono's plain-text default.
  app.notFound((c) => c.json(errorBody('not_found', `Nothing at ${c.req.method} ${c.req.path}.`), 404));

  if (deps.webDir) {
    const root = relative(process.cwd(), deps.webDir) || '.';
    app.use('/_app/immutable/*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    app.use('*', staticFiles({ root }));
    // Single-page app: every other page path is the client's to route.
    app.get('*', staticFiles({ root, path: 'index.html' }));
  }
  return app;
}
