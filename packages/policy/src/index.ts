export type { Actor } from './Actor.ts';
export { roleIn } from './Actor.ts';
export type { Action, Resource } from './policies.ts';
export { ACTIONS, can, POLICY } from './policies.ts';
export type { Role } from './roles.ts';
export { atLeast, isRole, ROLES } from './roles.ts';
