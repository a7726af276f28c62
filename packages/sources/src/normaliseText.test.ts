import { describe, expect, it } from 'vitest';
import { normaliseText } from './index.ts';
import { readSample, sampleNames } from './sampleSources.ts';

describe('normaliseText', () => {
  it('composes to NFC', () => {
    expect(normaliseText('Gera\u0301simov')).toBe('Gerásimov');
  });

  it('turns every line break into \\n', () => {
    expect(normaliseText('a\r\nb\rc\u2028d')).toBe('a\nb\nc\nd');
  });

  it('collapses runs of spaces, tabs and no-break spaces to one space', () => {
    expect(normaliseText('one \t two\u00a0\u00a0three\u2009four')).toBe('one two three four');
  });

  it('drops spaces at the end of each line and around the whole text', () => {
    expect(normaliseText('  \n title  \nbody\t\n\n')).toBe('title\nbody');
  });

  it('keeps at most one blank line between paragraphs', () => {
    expect(normaliseText('a\n\n\n\nb\n \n \n\nc\n\nd')).toBe('a\n\nb\n\nc\n\nd');
  });

  it('drops a byte order mark', () => {
    expect(normaliseText('\ufeffText')).toBe('Text');
  });

  it.each(sampleNames())('is idempotent on %s', (name) => {
    const once = normaliseText(readSample(name.slice(0, 4)));
    expect(normaliseText(once)).toBe(once);
  });

  it('handles a single line of several megabytes', () => {
    const line = 'word '.repeat(1_000_000);
    expect(normaliseText(line)).toBe(line.trimEnd());
  });
});
