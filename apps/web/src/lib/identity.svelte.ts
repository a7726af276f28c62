/** How this browser appears to collaborators. There are no accounts yet, so it lives in localStorage. */
export interface UserInfo {
  name: string;
  color: string;
}

/** The `user` field of an awareness state, which any client may have filled in its own way. */
export function readUser(state: Record<string, unknown>): UserInfo | null {
  const user = state.user;
  if (!user || typeof user !== 'object') return null;
  const { name, color } = user as Record<string, unknown>;
  return typeof name === 'string' && typeof color === 'string' ? { name, color } : null;
}

const STORAGE_KEY = 'debrief.user';
export const MAX_NAME_LENGTH = 40;

const ADJECTIVES = ['Amber', 'Azure', 'Brisk', 'Cedar', 'Coral', 'Dusky', 'Ember', 'Granite', 'Indigo', 'Juniper'];
const ANIMALS = ['Falcon', 'Heron', 'Lynx', 'Otter', 'Marten', 'Osprey', 'Badger', 'Kestrel', 'Fox', 'Wren'];
// Dark enough for white caret labels, distinct enough to tell people apart; six-digit hex because
// the selection highlight appends an alpha byte.
const COLORS = [
  '#c2410c',
  '#0369a1',
  '#15803d',
  '#7e22ce',
  '#be123c',
  '#0f766e',
  '#a16207',
  '#4338ca',
  '#9d174d',
  '#166534',
  '#1d4ed8',
  '#6d28d9',
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function isUserInfo(value: unknown): value is UserInfo {
  if (!value || typeof value !== 'object') return false;
  const { name, color } = value as Record<string, unknown>;
  return typeof name === 'string' && name.trim() !== '' && typeof color === 'string' && COLORS.includes(color);
}

function load(): UserInfo {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (isUserInfo(stored)) return stored;
  } catch {
    // A corrupt entry is replaced by a fresh identity below.
  }
  const fresh = { name: `${pick(ADJECTIVES)} ${pick(ANIMALS)}`, color: pick(COLORS) };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(fresh));
  return fresh;
}

class Identity {
  user = $state<UserInfo>(load());

  /** Blank names are ignored so everyone stays recognisable. */
  rename(name: string): void {
    const clean = name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
    if (!clean) return;
    this.user = { ...this.user, name: clean };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.user));
  }
}

export const identity = new Identity();
