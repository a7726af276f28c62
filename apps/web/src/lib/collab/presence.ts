/** How a person appears to collaborators: their account's name and colour. */
export interface UserInfo {
  name: string;
  color: string;
}

/**
 * The `user` field of an awareness state, which any client may have filled in its own way (the
 * server replaces it with the account's, but other clients' states are still read defensively).
 */
export function readUser(state: Record<string, unknown>): UserInfo | null {
  const user = state.user;
  if (!user || typeof user !== 'object') return null;
  const { name, color } = user as Record<string, unknown>;
  return typeof name === 'string' && typeof color === 'string' ? { name, color } : null;
}
