import { describe, expect, it } from 'vitest';
import { fullDate, timeAgo } from './format.ts';

const NOW = Date.parse('2024-03-20T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('timeAgo', () => {
  it('says "just now" for the last 45 seconds, either way', () => {
    expect(timeAgo(ago(0), NOW)).toBe('just now');
    expect(timeAgo(ago(44), NOW)).toBe('just now');
    expect(timeAgo(ago(-30), NOW)).toBe('just now');
  });

  it('counts in the largest unit that fits', () => {
    expect(timeAgo(ago(50), NOW)).toBe('50 seconds ago');
    expect(timeAgo(ago(3 * 60), NOW)).toBe('3 minutes ago');
    expect(timeAgo(ago(5 * 3600), NOW)).toBe('5 hours ago');
    expect(timeAgo(ago(24 * 3600), NOW)).toBe('yesterday');
    expect(timeAgo(ago(3 * 86_400), NOW)).toBe('3 days ago');
    expect(timeAgo(ago(14 * 86_400), NOW)).toBe('2 weeks ago');
    expect(timeAgo(ago(-2 * 3600), NOW)).toBe('in 2 hours');
  });

  it('gives a date past five weeks', () => {
    const old = '2024-01-05T12:00:00Z';
    expect(timeAgo(old, NOW)).toBe(fullDate(old));
    expect(fullDate(old)).toMatch(/^Jan 5, 2024, \d{1,2}:\d{2}\s?[AP]M$/);
  });
});
