import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import { z } from 'zod';
import type { Auth } from '../auth/auth.ts';
import { recordAudit } from './auditRecorder.ts';

export const NewUserSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(10, 'Use at least 10 characters.').max(256),
});
export type NewUser = z.infer<typeof NewUserSchema>;

/** Distinct, readable caret colours; a user's is chosen from their email, so it is stable. */
const COLOURS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4d7c0f'];
const colourFor = (email: string) =>
  COLOURS[[...email].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % COLOURS.length]!;

export const emailTaken = () =>
  new DomainError('email_taken', 409, 'An account with this email already exists: sign in with it instead.');

/**
 * Creates an account with an email and a password (hashed by better-auth, scrypt). The one way
 * accounts are made: first-run setup, an accepted invitation, `npm run cli -- user create`.
 */
export async function userCreator(
  deps: { db: Database; auth: Auth },
  input: NewUser & { instanceAdmin?: boolean },
  audit: { actorId?: string | null; ip?: string | null } = {},
): Promise<{ id: string; email: string; name: string }> {
  const { email, name, password } = NewUserSchema.parse(input);
  if (await deps.db.prisma.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
  const context = await deps.auth.$context;
  const hash = await context.password.hash(password);
  const user = await context.internalAdapter.createUser(
    { email, name, emailVerified: false, instanceAdmin: input.instanceAdmin === true, color: colourFor(email) },
    { method: 'admin' },
  );
  await context.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: hash,
  });
  await recordAudit(deps.db, {
    action: 'user.created',
    actorId: audit.actorId ?? user.id,
    targetType: 'user',
    targetId: user.id,
    details: { email, instanceAdmin: input.instanceAdmin === true },
    ip: audit.ip,
  });
  return { id: user.id, email, name };
}

/** Sets a user's password (the CLI's reset) and signs them out everywhere. */
export async function passwordSetter(deps: { db: Database; auth: Auth }, input: { email: string; password: string }) {
  const { password } = NewUserSchema.pick({ password: true }).parse(input);
  const user = await deps.db.prisma.user.findUnique({
    where: { email: input.email.trim().toLowerCase() },
    select: { id: true },
  });
  if (!user) throw new DomainError('user_not_found', 404, `No account with the email ${input.email}.`);
  const context = await deps.auth.$context;
  await context.internalAdapter.updatePassword(user.id, await context.password.hash(password));
  await context.internalAdapter.deleteUserSessions(user.id);
  await recordAudit(deps.db, { action: 'user.password_changed', actorId: null, targetType: 'user', targetId: user.id });
  return user;
}
