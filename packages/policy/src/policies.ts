import { type Actor, roleIn } from './Actor.ts';
import { atLeast, type Role } from './roles.ts';

/**
 * What each action needs, as the least role in the resource's workspace. This table is the policy:
 * the server enforces it on every route and connection, the web app reads it to hide what a person
 * cannot do, and docs/security.md prints it.
 */
export const POLICY = {
  'briefing.read': 'viewer',
  'briefing.create': 'editor',
  /** Live edits through the collaboration socket, and renaming. */
  'briefing.edit': 'editor',
  'briefing.delete': 'lead',
  /** Set a briefing final, and reopen a final one (editors move draft ↔ in review). */
  'briefing.finalise': 'lead',
  /** Archive and unarchive (hidden from the list, kept whole). */
  'briefing.archive': 'lead',
  /** List, preview and compare versions, named and automatic. */
  'version.read': 'viewer',
  /** Name a version ("Sent to commander"). */
  'version.create': 'lead',
  /** Restore a version: a live change everyone sees, undone by restoring the one from before it. */
  'version.restore': 'lead',
  /** Export to PDF, DOCX, Markdown, HTML or JSON; anyone who reads a final briefing exports it (FINAL_POLICY). */
  'briefing.export': 'lead',
  'source.read': 'viewer',
  'source.create': 'editor',
  'source.edit': 'editor',
  'source.delete': 'editor',
  'citation.read': 'viewer',
  /** See the workspace, its members and their roles. */
  'workspace.read': 'viewer',
  /** Rename or archive the workspace. */
  'workspace.manage': 'admin',
  /** Invite people, change roles, remove members. */
  'member.manage': 'admin',
  'audit.read': 'admin',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

/**
 * What an action needs on a **final** briefing, where that is less than POLICY says: a final
 * briefing is the finished product, which viewers hand on, so whoever may read it may export it.
 */
export const FINAL_POLICY = {
  'briefing.export': 'viewer',
} as const satisfies Partial<Record<Action, Role>>;

/** What an action is done to: every resource lives in one workspace; a briefing has a status. */
export interface Resource {
  readonly kind: 'workspace' | 'briefing' | 'source';
  readonly workspaceId: string;
  /** A briefing's status (draft, in_review, final), where an action's rule depends on it. */
  readonly status?: string | undefined;
}

/** The least role `action` needs on `resource`. */
export function leastRole(action: Action, resource: Pick<Resource, 'status'>): Role {
  const final = resource.status === 'final' ? (FINAL_POLICY as Partial<Record<Action, Role>>)[action] : undefined;
  return final ?? POLICY[action];
}

/** Actions on the instance itself, which no workspace role grants: only instance admins. */
export const INSTANCE_ACTIONS = ['workspace.create', 'instance.audit'] as const;
export type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

export const canOnInstance = (actor: Actor, _action: InstanceAction): boolean => actor.instanceAdmin === true;

/** Whether `actor` may do `action` to `resource`. Pure: no I/O, the same on server and client. */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  const role = roleIn(actor, resource.workspaceId);
  return role !== null && atLeast(role, leastRole(action, resource));
}
