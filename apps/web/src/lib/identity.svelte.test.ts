// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';

const KEY = 'debrief.user';

/** identity.svelte.ts reads the stored identity once, when first imported: each test imports it afresh. */
async function freshIdentity() {
  vi.resetModules();
  return import('./identity.svelte.ts');
}

beforeEach(() => {
  localStorage.clear();
});

describe('identity', () => {
  it('reads only well-formed user fields from an awareness state', async () => {
    const { readUser } = await freshIdentity();
    expect(readUser({ user: { name: 'Ada', color: '#0369a1' } })).toEqual({ name: 'Ada', color: '#0369a1' });
    expect(readUser({ user: { name: 'Ada' } })).toBeNull();
    expect(readUser({ user: 'Ada' })).toBeNull();
    expect(readUser({})).toBeNull();
  });

  it('makes up a name and colour on first visit and keeps them', async () => {
    const { identity } = await freshIdentity();
    const first = identity.user;
    expect(first.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(first.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(JSON.parse(localStorage.getItem(KEY)!)).toEqual(first);
    expect((await freshIdentity()).identity.user).toEqual(first);
  });

  it('replaces a stored identity that is corrupt or not one of ours', async () => {
    for (const stored of [
      '{not json',
      JSON.stringify({ name: 'Eve', color: 'red' }),
      JSON.stringify({ name: ' ', color: '#0369a1' }),
    ]) {
      localStorage.setItem(KEY, stored);
      const { identity } = await freshIdentity();
      expect(identity.user.name).not.toBe('Eve');
      expect(identity.user.name.trim()).not.toBe('');
      expect(localStorage.getItem(KEY)).toBe(JSON.stringify(identity.user));
    }
  });

  it('renames with whitespace collapsed and a length cap, ignoring blank names, and remembers', async () => {
    localStorage.setItem(KEY, JSON.stringify({ name: 'Brisk Otter', color: '#15803d' }));
    const { identity, MAX_NAME_LENGTH } = await freshIdentity();
    expect(identity.user).toEqual({ name: 'Brisk Otter', color: '#15803d' });
    identity.rename('  Ada   Lovelace ');
    expect(identity.user).toEqual({ name: 'Ada Lovelace', color: '#15803d' });
    identity.rename('   ');
    expect(identity.user.name).toBe('Ada Lovelace');
    identity.rename('x'.repeat(100));
    expect(identity.user.name).toHaveLength(MAX_NAME_LENGTH);
    expect((await freshIdentity()).identity.user.name).toBe('x'.repeat(MAX_NAME_LENGTH));
  });
});
