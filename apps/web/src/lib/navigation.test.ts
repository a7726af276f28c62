import { describe, expect, it } from 'vitest';
import { nextPath } from './navigation.ts';

describe('nextPath', () => {
  it('returns to a page of this app after signing in', () => {
    expect(nextPath(new URLSearchParams('next=/b/123?x=1'))).toBe('/b/123?x=1');
    expect(nextPath(new URLSearchParams(''))).toBe('/');
  });

  it('never sends the person to another site', () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      expect(nextPath(new URLSearchParams({ next }))).toBe('/');
    }
  });
});
