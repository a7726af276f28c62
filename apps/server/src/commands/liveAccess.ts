import type { Principal } from '../collab/ClientConnection.ts';

/**
 * The collaboration server's side of a change of access: every live connection the predicate
 * selects is authenticated again (closed 4401/4403, or kept with its new role).
 */
export interface LiveAccess {
  reauthorise(which: (principal: Principal) => boolean): Promise<void>;
}

export const ofUser = (userId: string) => (principal: Principal) => principal.userId === userId;
export const inWorkspace = (workspaceId: string) => (principal: Principal) => principal.roles.has(workspaceId);
