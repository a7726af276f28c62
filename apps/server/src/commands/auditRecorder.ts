import type { Database } from '@debrief/db';

/** What the audit log records: sign-ins, membership and role changes, tokens, exports, deletions. */
export type AuditAction =
  | 'user.signed_in'
  | 'user.sign_in_failed'
  | 'user.created'
  | 'user.password_changed'
  | 'user.signed_out_everywhere'
  | 'instance.set_up'
  | 'workspace.created'
  | 'workspace.renamed'
  | 'workspace.archived'
  | 'workspace.unarchived'
  | 'member.added'
  | 'member.role_changed'
  | 'member.removed'
  | 'invitation.created'
  | 'invitation.accepted'
  | 'invitation.revoked'
  | 'token.created'
  | 'token.revoked'
  | 'briefing.deleted'
  | 'source.deleted'
  | 'briefing.exported';

export interface AuditEntry {
  action: AuditAction;
  /** Null for events of no one workspace (a sign-in). */
  workspaceId?: string | null;
  actorId?: string | null;
  /** For who tried when there is no actor (a failed sign-in): the address they gave. */
  actorEmail?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string | null | undefined;
}

/** Writes one audit event. Never given a password or a token: only ids, names and roles. */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.prisma.auditEvent.create({
    data: {
      action: entry.action,
      workspaceId: entry.workspaceId ?? null,
      actorId: entry.actorId ?? null,
      actorEmail: entry.actorEmail ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: (entry.details ?? {}) as object,
      ip: entry.ip ?? null,
    },
  });
}
