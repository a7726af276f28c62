import { describe, expect, it } from 'vitest';
import { applyCleaning, type CleaningProposal, normaliseText, proposeCleaning } from './index.ts';

function proposalsOf(text: string, hints?: { title?: string }) {
  return proposeCleaning(text, hints).map(({ kind, text: removed }) => ({ kind, text: removed }));
}

const body = [
  'Officials said the call was made on an unsecured line, and that it was intercepted.',
  'The ministry has opened an investigation into how the recording was made and leaked.',
].join('\n\n');

describe('proposeCleaning', () => {
  it('proposes nothing for a clean article', () => {
    expect(proposeCleaning(body)).toEqual([]);
  });

  it('proposes a leading date marker, whatever the date', () => {
    expect(proposalsOf(`date 1999-12-31 ${body}`)).toEqual([{ kind: 'date_marker', text: 'date 1999-12-31 ' }]);
  });

  it('proposes lines that repeat the headline in another case or with a prefix', () => {
    const text = `Leak Reveals Secret Call\n\n${body}\n\nportal, leak reveals secret call\n\nMore text follows here.`;
    expect(proposalsOf(text)).toEqual([{ kind: 'repeated_headline', text: 'portal, leak reveals secret call\n' }]);
  });

  it('uses the title hint when the text itself has no headline', () => {
    const text = `${body}\n\nSite | Leak Reveals Secret Call\n\nMore text follows here.`;
    expect(proposalsOf(text, { title: 'Leak reveals secret call' })).toEqual([
      { kind: 'repeated_headline', text: 'Site | Leak Reveals Secret Call\n' },
    ]);
  });

  it('proposes a banner line that appears several times', () => {
    const text = `${body}\n\nSponsored by Example Portal\n\nA middle paragraph, long enough.\n\nSponsored by Example Portal\n\nThe end.`;
    expect(proposalsOf(text).map((proposal) => proposal.kind)).toEqual(['repeated_headline', 'repeated_headline']);
  });

  it('proposes teaser blocks ending in "Read more", with their header, as one proposal', () => {
    const teasers = [
      'Related stories',
      'Storm hits the coast',
      'Thousands were evacuated as the storm reached the coast on Monday ... Read more »',
      'Election results are in',
      'The count finished overnight in most districts. Continue reading',
    ].join('\n\n');
    const proposals = proposeCleaning(`${body}\n\n${teasers}`);
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ kind: 'other_news', text: teasers });
    expect(proposals[0]?.reason).toContain('2 teasers');
  });

  it('proposes a trailing wire id, page furniture and a link to a live page', () => {
    const text = `Advertisement\n${body}\nRussia war – live updates\nMore body text here, as a sentence.\n\nREUTERS20240305ABC123456`;
    expect(proposalsOf(text).map((proposal) => proposal.kind)).toEqual([
      'portal_boilerplate',
      'other_news',
      'syndication_id',
    ]);
  });

  it('names a wire id after a teaser block as a syndication id, not as a portal label', () => {
    const text = `${body}\n\nOTHER NEWS\n\nStorm hits the coast\n\nThousands were evacuated. Read more »\n\nWIRE05032024000045015687ID11`;
    expect(proposalsOf(text).map((proposal) => proposal.kind)).toEqual(['other_news', 'syndication_id']);
  });

  it('gives proposals ids stable for the same input and offsets into the normalised text', () => {
    const text = normaliseText(
      `  date 2024-03-05   Text of the article.\n\n\n\nMENAFN05032024000045015687ID1107936133`,
    );
    const first = proposeCleaning(text);
    expect(proposeCleaning(text)).toEqual(first);
    for (const proposal of first) {
      expect(proposal.id).toBe(`${proposal.kind}:${proposal.start}`);
      expect(text.slice(proposal.start, proposal.end)).toBe(proposal.text);
    }
  });
});

describe('applyCleaning', () => {
  const text = normaliseText('date 2024-03-05 First paragraph.\n\nSecond paragraph.\n\nWIRE05032024000045015687ID11');
  const proposals = proposeCleaning(text);

  it('removes only the accepted proposals and normalises the result', () => {
    expect(applyCleaning(text, proposals, [])).toBe(text);
    expect(applyCleaning(text, proposals, ['date_marker:0'])).toBe(
      'First paragraph.\n\nSecond paragraph.\n\nWIRE05032024000045015687ID11',
    );
    expect(
      applyCleaning(
        text,
        proposals,
        proposals.map((proposal) => proposal.id),
      ),
    ).toBe('First paragraph.\n\nSecond paragraph.');
  });

  function expectInvalid(run: () => unknown) {
    expect(run).toThrowError(expect.objectContaining({ code: 'invalid_cleaning' }));
  }

  it('rejects proposals outside the text or no longer matching it', () => {
    const base: CleaningProposal = { id: 'x', kind: 'portal_boilerplate', start: 0, end: 4, text: 'date', reason: 'r' };
    expectInvalid(() => applyCleaning(text, [{ ...base, end: text.length + 1 }], []));
    expectInvalid(() => applyCleaning(text, [{ ...base, start: -1 }], []));
    expectInvalid(() => applyCleaning(text, [{ ...base, start: 4, end: 4, text: '' }], []));
    expectInvalid(() => applyCleaning(text, [{ ...base, text: 'Date' }], ['x']));
  });

  it('rejects overlapping proposals, duplicate ids, and accepted ids that were never proposed', () => {
    const a: CleaningProposal = {
      id: 'a',
      kind: 'other_news',
      start: 0,
      end: 10,
      text: text.slice(0, 10),
      reason: 'r',
    };
    const b: CleaningProposal = {
      id: 'b',
      kind: 'other_news',
      start: 5,
      end: 15,
      text: text.slice(5, 15),
      reason: 'r',
    };
    const c: CleaningProposal = { ...b, id: 'c', start: 10, text: text.slice(10, 15) };
    expect(applyCleaning(text, [a, c], ['a', 'c'])).toBe(normaliseText(text.slice(15)));
    expectInvalid(() => applyCleaning(text, [a, b], ['a']));
    expectInvalid(() => applyCleaning(text, [a, { ...c, id: 'a' }], []));
    expectInvalid(() => applyCleaning(text, [a], ['missing']));
  });
});
