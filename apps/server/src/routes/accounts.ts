import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CLIENT_IP_HEADER } from '../auth/auth.ts';
import { setupPending } from '../auth/setupCode.ts';
import { meReader, passwordChanger, sessionsRevoker } from '../commands/accountCommands.ts';
import { recordAudit } from '../commands/auditRecorder.ts';
import { setupCompleter } from '../commands/setupCompleter.ts';
import { tokenCreator, tokenLister, tokenRevoker } from '../commands/tokenCommands.ts';
import { NewUserSchema } from '../commands/userCreator.ts';
import { type AppEnv, clientAddress } from '../context/requestContext.ts';
import { errorBody } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, jsonBody, validationHook } from './openapi.ts';

const Credentials = z.object({ email: z.string().max(254), password: z.string().max(256) }).openapi('Credentials');
const Me = z
  .object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      color: z.string(),
      instanceAdmin: z.boolean(),
    }),
    workspaces: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.enum(['viewer', 'editor', 'lead', 'admin']).nullable(),
        archivedAt: z.string().nullable(),
      }),
    ),
    /** The workspace the API works in when a request names none. */
    workspaceId: z.string().nullable(),
  })
  .openapi('Me');
const Token = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * A request for better-auth: the same, with the connection's own address in CLIENT_IP_HEADER
 * (whatever the client sent there), which its sign-in rate limit counts by.
 */
function forAuth(c: Context, body?: string): Request {
  const headers = new Headers(c.req.raw.headers);
  headers.set(CLIENT_IP_HEADER, clientAddress(c) ?? 'unknown');
  return new Request(c.req.raw.url, { method: c.req.method, headers, ...(body === undefined ? {} : { body }) });
}

/**
 * Passes better-auth's answer on (its cookies included); a refusal in the one error shape every
 * other route answers with, so clients read `error.code` and `error.message` everywhere.
 */
async function relay(response: Response): Promise<Response> {
  if (response.ok) return new Response(response.body, response);
  const { code, message } = AUTH_REFUSALS[response.status] ?? {
    code: 'invalid_request',
    message: ((await response.json().catch(() => ({}))) as { message?: string }).message ?? 'The request was refused.',
  };
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  return new Response(JSON.stringify(errorBody(code, message)), { status: response.status, headers });
}

const AUTH_REFUSALS: Record<number, { code: string; message: string }> = {
  // The same words for an unknown email and a wrong password: nothing tells which it was.
  401: { code: 'invalid_credentials', message: 'The email or password is not right.' },
  429: { code: 'rate_limited', message: 'Too many attempts from this address. Wait a minute and try again.' },
};

export function accountRoutes(deps: AppDeps) {
  const { db, auth } = deps;
  const { open, signedIn } = routeGuards(deps);

  const signIn = guardedRoute(open(), {
    method: 'post',
    path: '/auth/sign-in/email',
    tags: ['accounts'],
    summary: 'Sign in with email and password (sets the session cookie; a new session every time)',
    request: { body: jsonBody(Credentials) },
    responses: { 200: json(z.object({}).passthrough(), 'Signed in'), ...errorResponses(400, 401, 429) },
  });
  const signOut = guardedRoute(open(), {
    method: 'post',
    path: '/auth/sign-out',
    tags: ['accounts'],
    summary: 'Sign out of this session',
    responses: { 200: json(z.object({}).passthrough(), 'Signed out') },
  });
  const getSession = guardedRoute(open(), {
    method: 'get',
    path: '/auth/get-session',
    tags: ['accounts'],
    summary: 'The current session, or null (also refreshes the cookie)',
    responses: { 200: json(z.object({}).passthrough().nullable(), 'The session') },
  });
  const setupState = guardedRoute(open(), {
    method: 'get',
    path: '/setup',
    tags: ['accounts'],
    summary: 'Whether the first-run setup (creating the first administrator) is still to be done',
    responses: { 200: json(z.object({ required: z.boolean() }), 'Setup state') },
  });
  const completeSetup = guardedRoute(open(), {
    method: 'post',
    path: '/setup',
    tags: ['accounts'],
    summary: 'Create the first administrator with the one-time code from the start-up log, and sign in',
    request: { body: jsonBody(NewUserSchema.extend({ code: z.string().max(200) }).meta({ id: 'Setup' })) },
    responses: { 201: json(z.object({ id: z.string() }), 'Created'), ...errorResponses(400, 403, 429) },
  });
  const me = guardedRoute(signedIn(), {
    method: 'get',
    path: '/me',
    tags: ['accounts'],
    summary: 'Who is signed in, and their workspaces with their role in each',
    responses: { 200: json(Me, 'The signed-in user'), ...errorResponses(401) },
  });
  const changePassword = guardedRoute(signedIn(), {
    method: 'post',
    path: '/me/password',
    tags: ['accounts'],
    summary: 'Change your password; every other session is signed out',
    request: {
      body: jsonBody(z.object({ currentPassword: z.string().max(256), newPassword: NewUserSchema.shape.password })),
    },
    responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401) },
  });
  const signOutEverywhere = guardedRoute(signedIn(), {
    method: 'post',
    path: '/me/sign-out-everywhere',
    tags: ['accounts'],
    summary: 'Sign out of every session, this one included; open editors are disconnected (4401)',
    responses: { 204: { description: 'Signed out everywhere' }, ...errorResponses(401) },
  });
  const listTokens = guardedRoute(signedIn(), {
    method: 'get',
    path: '/me/tokens',
    tags: ['accounts'],
    summary: 'Your personal API tokens (never their secrets)',
    responses: { 200: json(z.object({ tokens: z.array(Token) }), 'Tokens'), ...errorResponses(401) },
  });
  const createToken = guardedRoute(signedIn(), {
    method: 'post',
    path: '/me/tokens',
    tags: ['accounts'],
    summary: 'Create a personal API token: its secret is in this answer and nowhere else, ever',
    request: { body: jsonBody(z.object({ name: z.string().trim().min(1).max(100) })) },
    responses: { 201: json(z.object({ id: z.string(), token: z.string() }), 'Created'), ...errorResponses(400, 401) },
  });
  const revokeToken = guardedRoute(signedIn(), {
    method: 'delete',
    path: '/me/tokens/{id}',
    tags: ['accounts'],
    summary: 'Revoke a token; connections opened with it are closed (4401)',
    request: { params: IdParam },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 404) },
  });

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(signIn, async (c) => {
      const body = c.req.valid('json');
      const response = await auth.handler(forAuth(c, JSON.stringify(body)));
      const ip = clientAddress(c);
      if (response.ok) {
        const { user } = (await response.clone().json()) as { user?: { id?: string } };
        await recordAudit(db, { action: 'user.signed_in', actorId: user?.id ?? null, ip });
      } else if (response.status === 401) {
        await recordAudit(db, { action: 'user.sign_in_failed', actorEmail: body.email.slice(0, 254), ip });
      }
      return (await relay(response)) as never;
    })
    .openapi(signOut, async (c) => (await relay(await auth.handler(forAuth(c, '{}')))) as never)
    .openapi(getSession, async (c) => (await relay(await auth.handler(forAuth(c)))) as never)
    .openapi(setupState, async (c) => c.json({ required: await setupPending(db) }, 200))
    .openapi(completeSetup, async (c) => {
      const input = c.req.valid('json');
      const user = await setupCompleter(deps, input, clientAddress(c));
      const signedInHeaders = await auth.api.signInEmail({
        body: { email: input.email, password: input.password },
        headers: forAuth(c).headers,
        returnHeaders: true,
      });
      for (const cookie of signedInHeaders.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
      return c.json({ id: user.id }, 201);
    })
    .openapi(me, async (c) => {
      const { user, workspaces, workspaceId } = await meReader(db, c.var.actor);
      return c.json(
        {
          user,
          workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, role: w.role, archivedAt: iso(w.archivedAt) })),
          workspaceId,
        },
        200,
      );
    })
    .openapi(changePassword, async (c) => {
      const input = { ...c.req.valid('json'), headers: c.req.raw.headers };
      const cookies = await passwordChanger(deps, c.var.actor, input, clientAddress(c));
      for (const cookie of cookies) c.header('Set-Cookie', cookie, { append: true });
      return c.body(null, 204);
    })
    .openapi(signOutEverywhere, async (c) => {
      await sessionsRevoker(deps, c.var.actor, clientAddress(c));
      return c.body(null, 204);
    })
    .openapi(listTokens, async (c) => {
      const tokens = await tokenLister(db, c.var.actor);
      return c.json(
        {
          tokens: tokens.map((t) => ({
            ...t,
            createdAt: t.createdAt.toISOString(),
            lastUsedAt: iso(t.lastUsedAt),
            revokedAt: iso(t.revokedAt),
          })),
        },
        200,
      );
    })
    .openapi(createToken, async (c) =>
      c.json(await tokenCreator(db, c.var.actor, c.req.valid('json'), clientAddress(c)), 201),
    )
    .openapi(revokeToken, async (c) => {
      await tokenRevoker(deps, c.var.actor, c.req.valid('param').id, clientAddress(c));
      return c.body(null, 204);
    });
}
