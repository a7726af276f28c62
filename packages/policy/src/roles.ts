/**
 * Roles in a workspace, from least to most: each can do everything the ones before it can.
 * viewer: read briefings, sources, citations, versions; editor: edit briefings and sources; lead:
 * finalise and reopen, archive, delete, name and restore versions, export (anyone may export a final briefing); admin:
 * the workspace's settings and members.
 */
export const ROLES = ['viewer', 'editor', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** Whether `role` includes everything `least` may do. */
export const atLeast = (role: Role, least: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(least);
