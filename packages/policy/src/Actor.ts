import { isRole, type Role } from './roles.ts';

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

/** A user's membership of one workspace, as stored. */
export interface Membership {
  readonly workspaceId: string;
  readonly role: unknown;
  /** An archived workspace is read only for everyone: its members act in it as viewers. */
  readonly archived: boolean;
}

/**
 * The actor a user is, from their memberships: the one rule for the role each membership grants,
 * which the server enforces and the web app reads to hide what the person cannot do.
 */
export function actorFrom(
  user: { id: string; name: string; color?: string; instanceAdmin?: boolean },
  memberships: Iterable<Membership>,
): Actor {
  const roles = new Map<string, Role>();
  for (const { workspaceId, role, archived } of memberships) {
    if (isRole(role)) roles.set(workspaceId, archived ? 'viewer' : role);
  }
  return {
    userId: user.id,
    name: user.name,
    ...(user.color === undefined ? {} : { color: user.color }),
    instanceAdmin: user.instanceAdmin === true,
    roles,
  };
}
