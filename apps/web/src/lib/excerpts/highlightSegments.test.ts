import { describe, expect, it } from 'vitest';
import { highlightSegments } from './highlightSegments.ts';

describe('highlightSegments', () => {
  it('leaves a text without highlights as one plain run', () => {
    expect(highlightSegments(10, [])).toEqual([{ start: 0, end: 10, ids: [] }]);
  });

  it('cuts overlapping quotes into flat runs naming every quote over each', () => {
    expect(
      highlightSegments(20, [
        { id: 'a', start: 2, end: 10 },
        { id: 'b', start: 6, end: 14 },
      ]),
    ).toEqual([
      { start: 0, end: 2, ids: [] },
      { start: 2, end: 6, ids: ['a'] },
      { start: 6, end: 10, ids: ['a', 'b'] },
      { start: 10, end: 14, ids: ['b'] },
      { start: 14, end: 20, ids: [] },
    ]);
  });

  it('clips highlights to the text and ignores empty, inverted and non-integer ones', () => {
    expect(
      highlightSegments(10, [
        { id: 'past', start: 8, end: 30 },
        { id: 'before', start: -5, end: 2 },
        { id: 'empty', start: 4, end: 4 },
        { id: 'inverted', start: 6, end: 5 },
        { id: 'nan', start: Number.NaN, end: 5 },
      ]),
    ).toEqual([
      { start: 0, end: 2, ids: ['before'] },
      { start: 2, end: 8, ids: [] },
      { start: 8, end: 10, ids: ['past'] },
    ]);
  });

  it('covers the whole text exactly once, in order', () => {
    const segments = highlightSegments(50, [
      { id: 'a', start: 5, end: 25 },
      { id: 'b', start: 10, end: 15 },
      { id: 'c', start: 30, end: 50 },
    ]);
    expect(segments[0]!.start).toBe(0);
    expect(segments.at(-1)!.end).toBe(50);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.start).toBe(segments[i - 1]!.end);
  });
});
