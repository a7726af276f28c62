import type { Role } from './roles.ts';

/** Who is acting: a user with a role in each workspace they belong to. */
export interface Actor {
  /** Stable id of the user (before accounts: the single local user). */
  readonly userId: string;
  /** Display name, shown to others (presence). */
  readonly name: string;
  /** The actor's role in each workspace it belongs to, by workspace id. */
  readonly roles: ReadonlyMap<string, Role>;
  /** Runs the instance: may create workspaces (INSTANCE_ACTIONS). */
  readonly instanceAdmin?: boolean;
  /** Colour of the actor's caret and avatar (#rrggbb), from their profile. */
  readonly color?: string;
}

export const roleIn = (actor: Actor, workspaceId: string): Role | null => actor.roles.get(workspaceId) ?? null;
