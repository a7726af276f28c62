import { describe, expect, it } from 'vitest';
import { readUser } from './presence.ts';

describe('presence', () => {
  it('reads only well-formed user fields from an awareness state', () => {
    expect(readUser({ user: { name: 'Ada', color: '#0369a1' } })).toEqual({ name: 'Ada', color: '#0369a1' });
    expect(readUser({ user: { name: 'Ada' } })).toBeNull();
    expect(readUser({ user: 'Ada' })).toBeNull();
    expect(readUser({})).toBeNull();
  });
});
