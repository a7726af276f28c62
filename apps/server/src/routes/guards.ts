import type { Action } from '@debrief/policy';
import type { MiddlewareHandler } from 'hono';
import { briefingNotFound, briefingWorkspace } from '../commands/briefingFinder.ts';
import { sourceNotFound, sourceWorkspace } from '../commands/sourceFinder.ts';
import { type AppEnv, requestContext, type WorkspaceSource } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';

export interface RouteGuard {
  action: Action;
  middleware: MiddlewareHandler<AppEnv>;
}

/**
 * The request-context guards every route is declared with: an action, and where its workspace
 * comes from (the session for collections, the briefing or source in the path otherwise).
 */
export function routeGuards({ db, session }: Pick<AppDeps, 'db' | 'session'>) {
  const context = requestContext(session);
  const guard = (action: Action, workspace: WorkspaceSource): RouteGuard => ({
    action,
    middleware: context({ action, workspace }),
  });
  const briefing: WorkspaceSource = {
    from: 'resource',
    kind: 'briefing',
    param: 'id',
    workspaceOf: (id) => briefingWorkspace(db, id),
    notFound: briefingNotFound,
  };
  const source: WorkspaceSource = {
    from: 'resource',
    kind: 'source',
    param: 'id',
    workspaceOf: (id) => sourceWorkspace(db, id),
    notFound: sourceNotFound,
  };
  return {
    inWorkspace: (action: Action) => guard(action, { from: 'session' }),
    onBriefing: (action: Action) => guard(action, briefing),
    onSource: (action: Action) => guard(action, source),
  };
}
