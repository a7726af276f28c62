export type { Actor, Membership } from './Actor.ts';
export { actorFrom, roleIn } from './Actor.ts';
export type { Action, InstanceAction, Resource } from './policies.ts';
export { ACTIONS, can, canOnInstance, FINAL_POLICY, INSTANCE_ACTIONS, leastRole, POLICY } from './policies.ts';
export type { Role } from './roles.ts';
export { atLeast, isRole, ROLES } from './roles.ts';
