import { describe, expect, it } from 'vitest';
import { CorroborationIndex, foldForCorroboration } from './corroboration.ts';

const QUOTE = 'One officer dialled in with his cellphone from a Singapore hotel room.';
const WSJ = `The meeting used Webex. ${QUOTE} The line was not secure.`;
const REUTERS =
  'Pistorius said: “one officer dialled in with his cellphone from a Singapore hotel room.” Nobody noticed.';
const NEAR = 'It emerged that one officer dialed in using his cellphone from a Singapore hotel room, officials said.';
const UNRELATED = 'Russian Era phones failed near Kharkiv because the 3G towers they relied on had been destroyed.';

function index(): CorroborationIndex {
  const built = new CorroborationIndex();
  for (const [id, text] of Object.entries({ wsj: WSJ, reuters: REUTERS, near: NEAR, unrelated: UNRELATED })) {
    built.add(id, text);
  }
  return built;
}

describe('CorroborationIndex', () => {
  it('finds a quote exactly in another source whatever its case, quotation marks and dashes', () => {
    const found = index().find(QUOTE, ['reuters', 'unrelated']);
    expect(found).toEqual([expect.objectContaining({ sourceId: 'reuters', match: 'exact', similarity: 1 })]);
    const { start, end } = found[0]!;
    expect(REUTERS.slice(start, end)).toBe('one officer dialled in with his cellphone from a Singapore hotel room.');
  });

  it('finds it nearly, with a word or two different, and says how near', () => {
    const found = index().find(QUOTE, ['near']);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ sourceId: 'near', match: 'near' });
    expect(found[0]!.similarity).toBeGreaterThan(0.85);
    expect(found[0]!.similarity).toBeLessThan(1);
  });

  it('does not find it where it is not, nor in sources it was not asked about', () => {
    expect(index().find(QUOTE, ['unrelated'])).toEqual([]);
    expect(index().find(QUOTE, ['not-indexed'])).toEqual([]);
    expect(index().find(UNRELATED, ['wsj', 'reuters', 'near'])).toEqual([]);
  });

  it('offers nothing for a quote too short to mean anything elsewhere', () => {
    expect(index().find('hotel room.', ['wsj', 'reuters'])).toEqual([]);
  });

  it('folds one character for one, so offsets into the folded text are offsets into the source', () => {
    const text = 'A “Quoted” — Ünïcode İstanbul\nline';
    expect(foldForCorroboration(text)).toHaveLength(text.length);
    expect(foldForCorroboration(text)).toBe('a "quoted" - ünïcode İstanbul line');
  });
});
