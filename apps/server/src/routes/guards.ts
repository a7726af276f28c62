import { DomainError } from '@debrief/errors';
import type { Action, InstanceAction } from '@debrief/policy';
import type { MiddlewareHandler } from 'hono';
import { briefingNotFound, briefingStatus, briefingWorkspace } from '../commands/briefingFinder.ts';
import { exportBriefingScope, exportNotFound } from '../commands/exportCommands.ts';
import { sourceNotFound, sourceWorkspace } from '../commands/sourceFinder.ts';
import { workspaceExists } from '../commands/workspaceCommands.ts';
import { type AppEnv, requestContext, type WorkspaceSource } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';

/**
 * What a route needs, as written into the OpenAPI document (`x-debrief-action`): a policy action
 * in a workspace, `signed-in` (the actor's own account), `instance:<action>`, or `public`.
 */
export interface RouteGuard {
  action: Action | 'signed-in' | `instance:${InstanceAction}` | 'public';
  middleware: MiddlewareHandler<AppEnv>;
}

/**
 * The request-context guards every route is declared with: an action, and where its workspace
 * comes from (the session for collections, the briefing or source in the path otherwise).
 */
export function routeGuards({ db, sessions }: Pick<AppDeps, 'db' | 'sessions'>) {
  const context = requestContext((c) => sessions.resolve(c.req.raw.headers));
  const guard = (action: Action, workspace: WorkspaceSource): RouteGuard => ({
    action,
    middleware: context.forWorkspace({ action, workspace }),
  });
  const briefing: WorkspaceSource = {
    from: 'resource',
    kind: 'briefing',
    param: 'id',
    workspaceOf: (id) => briefingWorkspace(db, id),
    statusOf: (id) => briefingStatus(db, id),
    notFound: briefingNotFound,
  };
  const source: WorkspaceSource = {
    from: 'resource',
    kind: 'source',
    param: 'id',
    workspaceOf: (id) => sourceWorkspace(db, id),
    notFound: sourceNotFound,
  };
  // An export job belongs to its briefing: the briefing's workspace and status decide.
  const exportJob: WorkspaceSource = {
    from: 'resource',
    kind: 'briefing',
    param: 'job',
    workspaceOf: async (id) => (await exportBriefingScope(db, id))?.workspaceId ?? null,
    statusOf: async (id) => (await exportBriefingScope(db, id))?.status ?? null,
    notFound: exportNotFound,
  };
  const workspace = (param: string): WorkspaceSource => ({
    from: 'resource',
    kind: 'workspace',
    param,
    workspaceOf: (id) => workspaceExists(db, id),
    notFound: () => new DomainError('workspace_not_found', 404, 'No workspace with this id.'),
  });
  return {
    /** The actor's own account: signed in is enough. */
    signedIn: (): RouteGuard => ({ action: 'signed-in', middleware: context.forActor() }),
    onInstance: (action: InstanceAction): RouteGuard => ({
      action: `instance:${action}`,
      middleware: context.forInstance(action),
    }),
    /** No one needs to be signed in (the first-run setup, reading an invitation). */
    open: (): RouteGuard => ({ action: 'public', middleware: async (_c, next) => next() }),
    /** A workspace named in the path by `param`. */
    onWorkspace: (action: Action, param = 'id') => guard(action, workspace(param)),
    inWorkspace: (action: Action) => guard(action, { from: 'session' }),
    onBriefing: (action: Action) => guard(action, briefing),
    onSource: (action: Action) => guard(action, source),
    /** An export job named in the path by `job`. */
    onExport: (action: Action) => guard(action, exportJob),
  };
}
