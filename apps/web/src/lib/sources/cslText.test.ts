import { describe, expect, it } from 'vitest';
import type { CslMetadata } from '../api.ts';
import { issuedIso, issuedText } from './cslText.ts';

const issued = (...parts: number[]): CslMetadata => ({ type: 'article-newspaper', issued: { 'date-parts': [parts] } });
const undated: CslMetadata = { type: 'document' };

describe('CSL dates as text', () => {
  it('reads as day, short month and year, with what is known', () => {
    expect(issuedText(issued(2024, 3, 5))).toBe('5 Mar 2024');
    expect(issuedText(issued(2024, 12))).toBe('Dec 2024');
    expect(issuedText(issued(2024))).toBe('2024');
    expect(issuedText(undated)).toBe('');
  });

  it('gives the machine form with zero-padded parts', () => {
    expect(issuedIso(issued(2024, 3, 5))).toBe('2024-03-05');
    expect(issuedIso(issued(2024, 11))).toBe('2024-11');
    expect(issuedIso(undated)).toBeUndefined();
  });
});
