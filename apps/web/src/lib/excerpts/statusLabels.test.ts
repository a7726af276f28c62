import { EXCERPT_STATUSES } from '@debrief/briefing';
import { describe, expect, it } from 'vitest';
import { EXCERPT_STATUS_LABELS } from './statusLabels.ts';

describe('excerpt status labels', () => {
  it('gives every status the server can write its own label, invalid included', () => {
    expect(Object.keys(EXCERPT_STATUS_LABELS).sort()).toEqual([...EXCERPT_STATUSES].sort());
    const labels = Object.values(EXCERPT_STATUS_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.every((label) => label.trim() !== '')).toBe(true);
    expect(EXCERPT_STATUS_LABELS.invalid).toBe('not a valid excerpt');
  });
});
