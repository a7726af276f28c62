import type { IncomingMessage } from 'node:http';
import { CloseCode } from '@debrief/briefing';
import { type Actor, can, roleIn } from '@debrief/policy';
import { type AuthenticationRequest, type CollabExtension, ConnectionRefused } from '../collab/Extension.ts';

export interface AuthenticationDeps {
  /** Who sent the upgrade request; null when nobody is signed in. */
  resolveActor(request: IncomingMessage): Promise<Actor | null>;
  /** The workspace a briefing belongs to; null when there is no such briefing. */
  workspaceOf(briefingId: string): Promise<string | null>;
}

/**
 * Who may open a briefing's live document: the policies decide, as for the API. A briefing in a
 * workspace the actor does not belong to is indistinguishable from a missing one (4404).
 */
export function authenticationExtension(deps: AuthenticationDeps): CollabExtension {
  return {
    name: 'authentication',
    async onAuthenticate({ request, briefingId }: AuthenticationRequest) {
      const actor = await deps.resolveActor(request);
      if (!actor) throw new ConnectionRefused(CloseCode.Unauthorized, 'unauthorized');
      const workspaceId = await deps.workspaceOf(briefingId);
      if (!workspaceId || roleIn(actor, workspaceId) === null) {
        throw new ConnectionRefused(CloseCode.NotFound, 'briefing_not_found');
      }
      if (!can(actor, 'briefing.read', { kind: 'briefing', workspaceId })) {
        throw new ConnectionRefused(CloseCode.Forbidden, 'forbidden');
      }
      return actor;
    },
  };
}
