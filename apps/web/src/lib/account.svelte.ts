import { type Action, type Actor, actorFrom, can, type Role } from '@debrief/policy';
import { getMe, type Me, setWorkspace, signOut } from './api.ts';

const WORKSPACE_KEY = 'debrief.workspace';

export type AccountState = 'loading' | 'signed-in' | 'signed-out' | 'error';

/** Who the signed-in person is as the shared policies see them: their role in each workspace. */
export const actorOf = (me: Me): Actor =>
  actorFrom(
    me.user,
    me.workspaces.map((w) => ({ workspaceId: w.id, role: w.role, archived: w.archivedAt !== null })),
  );

/**
 * The signed-in person and the workspace they are working in. The server decides every request
 * anyway; the app reads the same policies (`can`) only to hide what the person may not do.
 */
export class Account {
  state = $state<AccountState>('loading');
  me = $state.raw<Me | null>(null);
  /** Why loading failed (the server unreachable), for the page to say. */
  error = $state<string | null>(null);
  workspaceId = $state<string | null>(null);

  readonly actor = $derived(this.me ? actorOf(this.me) : null);
  /** The workspace the person works in, as listed for them. */
  readonly workspace = $derived(this.me?.workspaces.find((w) => w.id === this.workspaceId) ?? null);
  /** The person's role in the current workspace (viewer in an archived one), as the policies read it. */
  readonly role = $derived<Role | null>(
    this.workspaceId === null ? null : (this.actor?.roles.get(this.workspaceId) ?? null),
  );

  /** Asks the server who is signed in, and picks the workspace to work in. */
  async load(): Promise<void> {
    try {
      const me = await getMe();
      this.error = null;
      this.me = me;
      this.state = me ? 'signed-in' : 'signed-out';
      this.#pickWorkspace();
    } catch (cause) {
      this.state = 'error';
      this.error = cause instanceof Error ? cause.message : String(cause);
    }
  }

  /** Whether the person may do `action` in the current workspace (or in `workspaceId`). */
  can(action: Action, workspaceId = this.workspaceId): boolean {
    return this.actor !== null && workspaceId !== null && can(this.actor, action, { kind: 'workspace', workspaceId });
  }

  /** Whether the person may do `action` to a briefing in `status` (export: any reader of a final one). */
  canOnBriefing(action: Action, status: string): boolean {
    const workspaceId = this.workspaceId;
    return (
      this.actor !== null && workspaceId !== null && can(this.actor, action, { kind: 'briefing', workspaceId, status })
    );
  }

  switchWorkspace(id: string): void {
    if (!this.me?.workspaces.some((w) => w.id === id && w.role !== null)) return;
    this.workspaceId = id;
    setWorkspace(id);
    localStorage.setItem(WORKSPACE_KEY, id);
  }

  async signOut(): Promise<void> {
    await signOut();
    this.me = null;
    this.state = 'signed-out';
    this.workspaceId = null;
    setWorkspace(null);
  }

  /** The last workspace chosen in this browser while it is still one of theirs, else the server's. */
  #pickWorkspace(): void {
    const mine = (id: string | null) => id !== null && this.me?.workspaces.some((w) => w.id === id && w.role !== null);
    const stored = localStorage.getItem(WORKSPACE_KEY);
    const id = mine(this.workspaceId) ? this.workspaceId : mine(stored) ? stored : (this.me?.workspaceId ?? null);
    this.workspaceId = id;
    setWorkspace(id);
  }
}

export const account = new Account();
