import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Actor } from './Actor.ts';
import { ACTIONS, type Action, can, canOnInstance, INSTANCE_ACTIONS, POLICY } from './policies.ts';
import { ROLES, type Role } from './roles.ts';

const HERE = 'workspace-here';
const ELSEWHERE = 'workspace-elsewhere';
const actorWith = (role: Role): Actor => ({ userId: `u-${role}`, name: role, roles: new Map([[HERE, role]]) });

/** Who may do each action: every role from the least one named in the policy upwards. */
const EXPECTED: Record<Action, Role[]> = {
  'briefing.read': ['viewer', 'editor', 'lead', 'admin'],
  'briefing.create': ['editor', 'lead', 'admin'],
  'briefing.edit': ['editor', 'lead', 'admin'],
  'briefing.delete': ['lead', 'admin'],
  'briefing.finalise': ['lead', 'admin'],
  'briefing.archive': ['lead', 'admin'],
  'version.read': ['viewer', 'editor', 'lead', 'admin'],
  'version.create': ['lead', 'admin'],
  'version.restore': ['lead', 'admin'],
  'briefing.export': ['lead', 'admin'],
  'source.read': ['viewer', 'editor', 'lead', 'admin'],
  'source.create': ['editor', 'lead', 'admin'],
  'source.edit': ['editor', 'lead', 'admin'],
  'source.delete': ['editor', 'lead', 'admin'],
  'citation.read': ['viewer', 'editor', 'lead', 'admin'],
  'workspace.read': ['viewer', 'editor', 'lead', 'admin'],
  'workspace.manage': ['admin'],
  'member.manage': ['admin'],
  'audit.read': ['admin'],
};

describe('policies', () => {
  it('has an expectation for every action', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(ACTIONS)('%s: allowed exactly for the roles that include it, never in another workspace', (action) => {
    const kind = action.split('.')[0] === 'source' ? 'source' : 'briefing';
    for (const role of ROLES) {
      const actor = actorWith(role);
      expect(can(actor, action, { kind, workspaceId: HERE }), `${role} ${action}`).toBe(
        EXPECTED[action].includes(role),
      );
      expect(can(actor, action, { kind, workspaceId: ELSEWHERE }), `${role} ${action} elsewhere`).toBe(false);
    }
    expect(POLICY[action]).toBe(EXPECTED[action][0]);
  });

  it.each(INSTANCE_ACTIONS)('%s: only for instance admins, whatever their workspace roles', (action) => {
    expect(canOnInstance({ ...actorWith('admin'), instanceAdmin: true }, action)).toBe(true);
    for (const role of ROLES) expect(canOnInstance(actorWith(role), action)).toBe(false);
  });

  it('briefing.export: every role that reads a final briefing exports it; a draft or one in review only leads and admins', () => {
    for (const role of ROLES) {
      const actor = actorWith(role);
      expect(can(actor, 'briefing.export', { kind: 'briefing', workspaceId: HERE, status: 'final' }), role).toBe(true);
      for (const status of ['draft', 'in_review']) {
        expect(
          can(actor, 'briefing.export', { kind: 'briefing', workspaceId: HERE, status }),
          `${role} ${status}`,
        ).toBe(role === 'lead' || role === 'admin');
      }
      expect(can(actor, 'briefing.export', { kind: 'briefing', workspaceId: ELSEWHERE, status: 'final' })).toBe(false);
    }
  });

  it('allows nothing to an actor with no workspace', () => {
    const nobody: Actor = { userId: 'nobody', name: 'Nobody', roles: new Map() };
    for (const action of ACTIONS) expect(can(nobody, action, { kind: 'briefing', workspaceId: HERE })).toBe(false);
  });
});

describe('docs/security.md', () => {
  it('prints the policy table as the policies define it', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/security.md', import.meta.url)), 'utf8');
    const table = /<!-- policy-table:start -->\n([\s\S]*?)<!-- policy-table:end -->/.exec(doc)?.[1] ?? '';
    const printed = Object.fromEntries(
      table
        .trim()
        .split('\n')
        .slice(2)
        .map((line) => {
          const [action, ...cells] = line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim());
          return [action, ROLES.filter((_, i) => cells[i] === '✓')];
        }),
    );
    expect(printed).toEqual(EXPECTED);
  });
});
