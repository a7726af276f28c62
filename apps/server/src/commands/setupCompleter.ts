import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import type { Auth } from '../auth/auth.ts';
import { consumeSetupCode } from '../auth/setupCode.ts';
import { ensureDefaultWorkspace } from '../workspaces.ts';
import { recordAudit } from './auditRecorder.ts';
import { type NewUser, NewUserSchema, userCreator } from './userCreator.ts';

/**
 * The first-run setup: with the one-time code from the start-up log, creates the first account as
 * instance admin and admin of the default workspace (where everything made before accounts is).
 */
export async function setupCompleter(
  deps: { db: Database; auth: Auth },
  input: NewUser & { code: string },
  ip: string | null,
): Promise<{ id: string; email: string }> {
  const account = NewUserSchema.parse(input);
  if ((await deps.db.prisma.user.count()) > 0 || !(await consumeSetupCode(deps.db, input.code))) {
    throw new DomainError(
      'setup_unavailable',
      403,
      'This setup link is not valid: it was used, or a newer one was printed.',
    );
  }
  const user = await userCreator(deps, { ...account, instanceAdmin: true }, { ip });
  const workspaceId = await ensureDefaultWorkspace(deps.db);
  await deps.db.prisma.membership.create({ data: { workspaceId, userId: user.id, role: 'admin' } });
  await recordAudit(deps.db, { action: 'instance.set_up', workspaceId, actorId: user.id, ip });
  return user;
}
