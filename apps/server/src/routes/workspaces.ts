import { DomainError } from '@debrief/errors';
import { ROLES } from '@debrief/policy';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { auditLister } from '../commands/auditLister.ts';
import {
  INVITATION_DAYS,
  invitationAccepter,
  invitationCreator,
  invitationLister,
  invitationReader,
  invitationRevoker,
} from '../commands/invitationCommands.ts';
import { memberLister, memberRemover, memberRoleChanger } from '../commands/memberCommands.ts';
import { NewUserSchema } from '../commands/userCreator.ts';
import {
  workspaceArchiver,
  workspaceCreator,
  workspaceLister,
  workspaceRenamer,
} from '../commands/workspaceCommands.ts';
import { type AppEnv, clientAddress } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, jsonBody, validationHook } from './openapi.ts';

const Role = z.enum(ROLES);
const uuid = (name: string) =>
  z
    .string()
    .uuid()
    .transform((id) => id.toLowerCase())
    .openapi({ param: { name, in: 'path' }, type: 'string', format: 'uuid' });
const MemberParams = z.object({ id: uuid('id'), userId: uuid('userId') });
const InvitationParams = z.object({ id: uuid('id'), invitationId: uuid('invitationId') });
const TokenParam = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .openapi({ param: { name: 'token', in: 'path' } }),
});
const Name = z.string().trim().min(1).max(100);

const Workspace = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    archivedAt: z.string().nullable(),
    role: Role.nullable(),
    memberCount: z.number().int(),
  })
  .openapi('Workspace');
const Member = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    color: z.string(),
    role: Role,
    joinedAt: z.string(),
  })
  .openapi('Member');
const Invitation = z
  .object({
    id: z.string(),
    role: Role,
    email: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
    acceptedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Invitation');
const AuditEvent = z
  .object({
    id: z.string(),
    action: z.string(),
    at: z.string(),
    actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    actorEmail: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
  })
  .openapi('AuditEvent');

const dates = <Row extends object>(row: Row) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) as {
    [K in keyof Row]: Row[K] extends Date ? string : Row[K] extends Date | null ? string | null : Row[K];
  };

export function workspaceRoutes(deps: AppDeps) {
  const { db } = deps;
  const { signedIn, onInstance, onWorkspace, open } = routeGuards(deps);
  const inviteLink = (origin: string, token: string) => `${deps.publicUrl ?? origin}/invite/${token}`;
  const mailer = deps.mailer;
  const sender = (origin: string) =>
    mailer
      ? (to: string, token: string, workspaceName: string) =>
          mailer.send({
            to,
            subject: `You are invited to ${workspaceName} on Debrief`,
            text: `You are invited to the workspace “${workspaceName}” on Debrief.\n\nOpen this link to join (it works once, within ${INVITATION_DAYS} days):\n${inviteLink(origin, token)}\n`,
          })
      : undefined;

  const listWorkspaces = guardedRoute(signedIn(), {
    method: 'get',
    path: '/workspaces',
    tags: ['workspaces'],
    summary: 'Your workspaces with your role in each (an instance admin sees every workspace)',
    responses: { 200: json(z.object({ workspaces: z.array(Workspace) }), 'Workspaces'), ...errorResponses(401) },
  });
  const createWorkspace = guardedRoute(onInstance('workspace.create'), {
    method: 'post',
    path: '/workspaces',
    tags: ['workspaces'],
    summary: 'Create a workspace (instance admins); you become its admin',
    request: { body: jsonBody(z.object({ name: Name })) },
    responses: { 201: json(z.object({ id: z.string() }), 'Created'), ...errorResponses(400, 401, 403, 409) },
  });
  const updateWorkspace = guardedRoute(onWorkspace('workspace.manage'), {
    method: 'patch',
    path: '/workspaces/{id}',
    tags: ['workspaces'],
    summary: 'Rename a workspace, or archive it (read only for everyone) and bring it back',
    request: { params: IdParam, body: jsonBody(z.object({ name: Name.optional(), archived: z.boolean().optional() })) },
    responses: { 204: { description: 'Updated' }, ...errorResponses(400, 401, 403, 404, 409) },
  });
  const listMembers = guardedRoute(onWorkspace('workspace.read'), {
    method: 'get',
    path: '/workspaces/{id}/members',
    tags: ['workspaces'],
    summary: 'The members of a workspace and their roles',
    request: { params: IdParam },
    responses: { 200: json(z.object({ members: z.array(Member) }), 'Members'), ...errorResponses(401, 404) },
  });
  const changeRole = guardedRoute(onWorkspace('member.manage'), {
    method: 'patch',
    path: '/workspaces/{id}/members/{userId}',
    tags: ['workspaces'],
    summary: "Change a member's role (their open editors follow within a second)",
    request: { params: MemberParams, body: jsonBody(z.object({ role: Role })) },
    responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403, 404, 409) },
  });
  const removeMember = guardedRoute(onWorkspace('member.manage'), {
    method: 'delete',
    path: '/workspaces/{id}/members/{userId}',
    tags: ['workspaces'],
    summary: 'Remove a member; their open editors are closed (4403). The last admin cannot go.',
    request: { params: MemberParams },
    responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404, 409) },
  });
  const leave = guardedRoute(onWorkspace('workspace.read'), {
    method: 'post',
    path: '/workspaces/{id}/leave',
    tags: ['workspaces'],
    summary: 'Leave a workspace (the last admin cannot)',
    request: { params: IdParam },
    responses: { 204: { description: 'Left' }, ...errorResponses(401, 404, 409) },
  });
  const listInvitations = guardedRoute(onWorkspace('member.manage'), {
    method: 'get',
    path: '/workspaces/{id}/invitations',
    tags: ['workspaces'],
    summary: 'Invitations to a workspace, open and past',
    request: { params: IdParam },
    responses: {
      200: json(z.object({ invitations: z.array(Invitation) }), 'Invitations'),
      ...errorResponses(401, 403, 404),
    },
  });
  const createInvitation = guardedRoute(onWorkspace('member.manage'), {
    method: 'post',
    path: '/workspaces/{id}/invitations',
    tags: ['workspaces'],
    summary: 'Invite someone with a role: answers the link (once); mails it when SMTP is configured and an email given',
    request: {
      params: IdParam,
      body: jsonBody(z.object({ role: Role, email: z.string().trim().email().max(254).optional() })),
    },
    responses: {
      201: json(z.object({ id: z.string(), link: z.string(), emailed: z.boolean() }), 'Created'),
      ...errorResponses(400, 401, 403, 404),
    },
  });
  const revokeInvitation = guardedRoute(onWorkspace('member.manage'), {
    method: 'delete',
    path: '/workspaces/{id}/invitations/{invitationId}',
    tags: ['workspaces'],
    summary: 'Revoke an open invitation',
    request: { params: InvitationParams },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
  });
  const audit = guardedRoute(onWorkspace('audit.read'), {
    method: 'get',
    path: '/workspaces/{id}/audit',
    tags: ['workspaces'],
    summary: 'The audit log of a workspace, newest first, with its members’ sign-ins',
    request: {
      params: IdParam,
      query: z.object({
        action: z.string().max(100).optional(),
        actor: z.string().uuid().optional(),
        before: z
          .string()
          .regex(/^\d{1,19}$/)
          .optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    responses: {
      200: json(z.object({ events: z.array(AuditEvent) }), 'Events'),
      ...errorResponses(400, 401, 403, 404),
    },
  });
  const readInvitation = guardedRoute(open(), {
    method: 'get',
    path: '/invitations/{token}',
    tags: ['workspaces'],
    summary: 'What an invitation link invites to (no sign-in needed)',
    request: { params: TokenParam },
    responses: {
      200: json(
        z.object({ workspaceName: z.string(), role: Role, email: z.string().nullable(), expiresAt: z.string() }),
        'The invitation',
      ),
      ...errorResponses(404),
    },
  });
  const acceptInvitation = guardedRoute(open(), {
    method: 'post',
    path: '/invitations/{token}/accept',
    tags: ['workspaces'],
    summary: 'Join with an invitation: signed in, as yourself; otherwise with a new account (and signed in)',
    request: { params: TokenParam, body: jsonBody(z.object({ account: NewUserSchema.optional() })) },
    responses: {
      200: json(z.object({ workspaceId: z.string() }), 'Joined'),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listWorkspaces, async (c) =>
      c.json({ workspaces: (await workspaceLister(db, c.var.actor)).map(dates) }, 200),
    )
    .openapi(createWorkspace, async (c) =>
      c.json({ id: await workspaceCreator(db, c.var.actor, c.req.valid('json'), clientAddress(c)) }, 201),
    )
    .openapi(updateWorkspace, async (c) => {
      const { name, archived } = c.req.valid('json');
      if (name !== undefined) await workspaceRenamer(db, c.var.ctx, { name });
      if (archived !== undefined) await workspaceArchiver(deps, c.var.ctx, { archived });
      return c.body(null, 204);
    })
    .openapi(listMembers, async (c) => c.json({ members: (await memberLister(db, c.var.ctx)).map(dates) }, 200))
    .openapi(changeRole, async (c) => {
      await memberRoleChanger(deps, c.var.ctx, { userId: c.req.valid('param').userId, role: c.req.valid('json').role });
      return c.body(null, 204);
    })
    .openapi(removeMember, async (c) => {
      await memberRemover(deps, c.var.ctx, c.req.valid('param').userId);
      return c.body(null, 204);
    })
    .openapi(leave, async (c) => {
      await memberRemover(deps, c.var.ctx, c.var.ctx.actor.userId);
      return c.body(null, 204);
    })
    .openapi(listInvitations, async (c) =>
      c.json({ invitations: (await invitationLister(db, c.var.ctx)).map(dates) }, 200),
    )
    .openapi(createInvitation, async (c) => {
      const origin = new URL(c.req.url).origin;
      const created = await invitationCreator({ db, send: sender(origin) }, c.var.ctx, c.req.valid('json'));
      return c.json({ id: created.id, link: inviteLink(origin, created.token), emailed: created.emailed }, 201);
    })
    .openapi(revokeInvitation, async (c) => {
      await invitationRevoker(db, c.var.ctx, c.req.valid('param').invitationId);
      return c.body(null, 204);
    })
    .openapi(audit, async (c) => {
      const query = c.req.valid('query');
      const events = await auditLister(db, c.var.ctx, {
        action: query.action,
        actorId: query.actor,
        before: query.before === undefined ? undefined : BigInt(query.before),
        limit: query.limit,
      });
      return c.json({ events: events.map((e) => ({ ...e, at: e.at.toISOString() })) }, 200);
    })
    .openapi(readInvitation, async (c) => {
      const invitation = await invitationReader(db, c.req.valid('param').token);
      return c.json({ ...invitation, expiresAt: invitation.expiresAt.toISOString() }, 200);
    })
    .openapi(acceptInvitation, async (c) => {
      const { token } = c.req.valid('param');
      const { account } = c.req.valid('json');
      const signedInNow = await deps.sessions.resolve(c.req.raw.headers);
      const ip = clientAddress(c);
      if (signedInNow) {
        const joined = await invitationAccepter(deps, token, { actor: signedInNow.actor }, ip);
        return c.json({ workspaceId: joined.workspaceId }, 200);
      }
      if (!account) throw new DomainError('unauthorized', 401, 'Sign in, or give the account to create, to join.');
      const joined = await invitationAccepter(deps, token, { newUser: account }, ip);
      const signedInHeaders = await deps.auth.api.signInEmail({
        body: { email: account.email, password: account.password },
        headers: c.req.raw.headers,
        returnHeaders: true,
      });
      for (const cookie of signedInHeaders.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
      return c.json({ workspaceId: joined.workspaceId }, 200);
    });
}
