import type { Actor } from '@debrief/policy';

/**
 * Until accounts exist, everyone who reaches the server is the same local user, admin of the
 * default workspace. Accounts replace only this: how the actor of a request is resolved.
 */
export function localActor(defaultWorkspaceId: string): Actor {
  return { userId: 'local', name: 'Local user', roles: new Map([[defaultWorkspaceId, 'admin']]) };
}

/** Whoever runs the CLI on the server's machine: an administrator of the workspace it names. */
export function operatorActor(workspaceId: string): Actor {
  return { userId: 'operator', name: 'Operator (command line)', roles: new Map([[workspaceId, 'admin']]) };
}
