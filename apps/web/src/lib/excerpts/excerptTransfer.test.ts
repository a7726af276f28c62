import { SourceError } from '@debrief/sources';
import { describe, expect, it } from 'vitest';
import { droppedExcerpt, excerptFromPassage, parsePassage, quotePassage } from './excerptTransfer.ts';

const TEXT = 'The call was joined from a hotel line in Singapore. Nobody checked the dial-in list.';
const SOURCE = '0e5bb2a4-3c83-4a6f-8a0e-2c8e3f6f9d11';

describe('excerpt transfer', () => {
  it('describes a selection as a passage, trimmed, with context and hash', () => {
    const start = TEXT.indexOf('Nobody') - 1;
    const passage = quotePassage(SOURCE, TEXT, start, TEXT.length);
    expect(passage).toMatchObject({
      sourceId: SOURCE,
      quote: { exact: 'Nobody checked the dial-in list.', suffix: '' },
      position: { start: start + 1, end: TEXT.length },
    });
    expect(passage.quote.prefix).toBe(TEXT.slice(start + 1 - 32, start + 1));
    expect(passage.quoteSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(() => quotePassage(SOURCE, TEXT, 3, 4)).toThrow(SourceError);
  });

  it('reads back a passage it wrote, and nothing malformed', () => {
    const passage = quotePassage(SOURCE, TEXT, 0, 8);
    expect(parsePassage(JSON.stringify(passage))).toEqual(passage);
    const broken = (change: (p: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(passage)) as Record<string, unknown>;
      change(copy);
      return parsePassage(JSON.stringify(copy));
    };
    expect(parsePassage('not json')).toBeNull();
    expect(parsePassage('"a string"')).toBeNull();
    expect(broken((p) => delete p.sourceId)).toBeNull();
    expect(broken((p) => ((p.quote as Record<string, unknown>).exact = ''))).toBeNull();
    expect(broken((p) => ((p.position as Record<string, unknown>).start = '0'))).toBeNull();
    expect(broken((p) => ((p.position as Record<string, unknown>).end = 0))).toBeNull();
  });

  it('makes a new excerpt of a passage through the one builder', () => {
    const passage = quotePassage(SOURCE, TEXT, 4, 8);
    const attrs = excerptFromPassage(passage);
    expect(attrs).toMatchObject({
      sourceId: SOURCE,
      exact: 'call',
      prefix: 'The ',
      start: 4,
      end: 8,
      quoteSha256: passage.quoteSha256,
      note: '',
      status: 'pending',
      statusReason: null,
      anchoredStart: null,
    });
    expect(excerptFromPassage(passage).excerptId).not.toBe(attrs.excerptId);
  });

  it('swallows a dropped passage the excerpt rules refuse', () => {
    const passage = quotePassage(SOURCE, TEXT, 4, 8);
    expect(droppedExcerpt(JSON.stringify(passage))).toMatchObject({ exact: 'call', status: 'pending' });
    expect(droppedExcerpt(JSON.stringify({ ...passage, quoteSha256: 'not a hash' }))).toBeNull();
    expect(droppedExcerpt('{}')).toBeNull();
  });
});
