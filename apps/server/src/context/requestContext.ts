import { parseId } from '@debrief/briefing';
import { DomainError } from '@debrief/errors';
import {
  type Action,
  type Actor,
  can,
  canOnInstance,
  FINAL_POLICY,
  type InstanceAction,
  roleIn,
} from '@debrief/policy';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

/** Who acts, and in which workspace: what every command receives. */
export interface RequestContext {
  actor: Actor;
  workspaceId: string;
  /** The address the request came from, for the audit log (null when not over HTTP). */
  ip?: string | null;
}

/** The client's address as the server saw the connection (a proxy in front shows as itself). */
export function clientAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

export type AppEnv = { Variables: { ctx: RequestContext; actor: Actor } };

/** The signed-in actor of a request and the workspace they work in unless a request names one. */
export interface Session {
  actor: Actor;
  workspaceId: string | null;
}

/** Where a route finds its workspace. */
export type WorkspaceSource =
  /** A collection (list, create): `?workspace=<id>`, else the session's workspace. */
  | { from: 'session' }
  /** One resource, by the id in a path parameter: the workspace it belongs to. */
  | {
      from: 'resource';
      kind: 'briefing' | 'source' | 'workspace';
      param: string;
      workspaceOf(id: string): Promise<string | null>;
      /** A briefing's status, for the actions whose rule depends on it (FINAL_POLICY). */
      statusOf?(id: string): Promise<string | null>;
      notFound: () => DomainError;
    };

export interface Guard {
  action: Action;
  workspace: WorkspaceSource;
}

export const notSignedIn = () => new DomainError('unauthorized', 401, 'Sign in to use Debrief.');

/**
 * The request-context middleware factory: for each route, resolves who is acting (`session`),
 * which workspace the request is about (from the route or the resource), and whether the policy
 * lets the actor do the route's action there; then puts `{ actor, workspaceId }` on the context
 * for the one command the route calls. A resource in a workspace the actor does not belong to
 * answers exactly like a missing one (404), so ids of other workspaces reveal nothing.
 */
export function requestContext(session: (c: Context) => Promise<Session | null>) {
  const signedIn = async (c: Context): Promise<Session> => {
    const current = await session(c);
    if (!current) throw notSignedIn();
    return current;
  };
  const forWorkspace =
    (guard: Guard): MiddlewareHandler<AppEnv> =>
    async (c, next) => {
      const current = await signedIn(c);
      const { actor } = current;
      let workspaceId: string;
      let status: string | undefined;
      if (guard.workspace.from === 'session') {
        const asked = c.req.query('workspace');
        const id = asked === undefined ? current.workspaceId : parseId(asked);
        if (!id || roleIn(actor, id) === null) {
          throw new DomainError('workspace_not_found', 404, 'No workspace with this id.');
        }
        workspaceId = id;
      } else {
        const id = parseId(c.req.param(guard.workspace.param) ?? '');
        // A malformed id is the route validator's to refuse (400), with the field named.
        if (!id) return next();
        const found = await guard.workspace.workspaceOf(id);
        if (!found || roleIn(actor, found) === null) throw guard.workspace.notFound();
        workspaceId = found;
        if (guard.action in FINAL_POLICY) status = (await guard.workspace.statusOf?.(id)) ?? undefined;
      }
      const kind = guard.workspace.from === 'resource' ? guard.workspace.kind : 'workspace';
      if (!can(actor, guard.action, { kind, workspaceId, status })) {
        throw new DomainError('forbidden', 403, `Your role in this workspace does not allow ${guard.action}.`, {
          action: guard.action,
        });
      }
      c.set('ctx', { actor, workspaceId, ip: clientAddress(c) });
      c.set('actor', actor);
      await next();
    };
  /** Routes about the actor themselves (their account, their tokens): signed in is enough. */
  const forActor = (): MiddlewareHandler<AppEnv> => async (c, next) => {
    c.set('actor', (await signedIn(c)).actor);
    await next();
  };
  /** Routes about the instance (creating a workspace): only instance admins. */
  const forInstance =
    (action: InstanceAction): MiddlewareHandler<AppEnv> =>
    async (c, next) => {
      const { actor } = await signedIn(c);
      if (!canOnInstance(actor, action)) {
        throw new DomainError('forbidden', 403, `Only an instance administrator may do ${action}.`, { action });
      }
      c.set('actor', actor);
      await next();
    };
  return { forWorkspace, forActor, forInstance };
}
