import type { Actor } from '@debrief/policy';

/** The id the command line acts under: no account has it (the nil UUID), the audit log names it. */
export const OPERATOR_USER_ID = '00000000-0000-0000-0000-000000000000';
export const OPERATOR_NAME = 'Operator (command line)';

/** Whoever runs the CLI on the server's machine: an administrator of the workspace it names. */
export function operatorActor(workspaceId: string): Actor {
  return { userId: OPERATOR_USER_ID, name: OPERATOR_NAME, roles: new Map([[workspaceId, 'admin']]) };
}
