import approxSearch from 'approx-string-match';
import { describe, expect, it } from 'vitest';
import {
  anchorQuote,
  CONTEXT_LENGTH,
  describeQuote,
  MIN_FUZZY_SCORE,
  normaliseText,
  SourceError,
  sha256Hex,
} from './index.ts';
import { readSample, sampleNames, seededRandom } from './sampleSources.ts';

const text = normaliseText(readSample('002_'));

function anchorFor(quote: string, source = text) {
  const start = source.indexOf(quote);
  expect(start).toBeGreaterThanOrEqual(0);
  return describeQuote(source, start, start + quote.length);
}

describe('describeQuote', () => {
  it('records the exact text, 32 characters of context on each side, the position and the sha256', () => {
    const quote = 'One officer dialed in with his cellphone from a Singapore hotel room.';
    const anchor = anchorFor(quote);
    const start = text.indexOf(quote);
    expect(anchor.quote).toEqual({
      type: 'TextQuoteSelector',
      exact: quote,
      prefix: text.slice(start - CONTEXT_LENGTH, start),
      suffix: text.slice(start + quote.length, start + quote.length + CONTEXT_LENGTH),
    });
    expect(anchor.position).toEqual({ type: 'TextPositionSelector', start, end: start + quote.length });
    expect(anchor.quoteSha256).toBe(sha256Hex(quote));
  });

  it('leaves out whitespace around the selection', () => {
    const anchor = describeQuote('first paragraph\n\n  second one  \n', 15, 31);
    expect(anchor.quote.exact).toBe('second one');
    expect(anchor.position).toMatchObject({ start: 19, end: 29 });
  });

  it('keeps short context at the very start and end of the text', () => {
    const source = 'Alpha beta gamma delta.';
    expect(describeQuote(source, 0, 5).quote).toMatchObject({
      exact: 'Alpha',
      prefix: '',
      suffix: ' beta gamma delta.',
    });
    expect(describeQuote(source, 17, 23).quote).toMatchObject({
      exact: 'delta.',
      prefix: 'Alpha beta gamma ',
      suffix: '',
    });
  });

  it.each([
    ['empty', 5, 5],
    ['reversed', 6, 2],
    ['before the text', -1, 3],
    ['past the end', 3, 99],
    ['fractional', 1.5, 3],
  ])('rejects a selection that is %s', (_label, start, end) => {
    expect(() => describeQuote('some source text', start, end)).toThrowError(
      expect.objectContaining({ code: 'invalid_selection' }),
    );
  });

  it('rejects a selection of whitespace only, with a sentence for the user', () => {
    try {
      describeQuote('one\n\n\ttwo', 3, 6);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).code).toBe('invalid_selection');
      expect((error as SourceError).message).toMatch(/^The selection .*\.$/);
    }
  });

  it('never splits an emoji: an edge inside a surrogate pair takes the whole character', () => {
    const source = 'Signal 🔒 secure';
    const lock = source.indexOf('🔒');
    expect(describeQuote(source, lock + 1, lock + 2).quote.exact).toBe('🔒');
  });
});

describe('anchorQuote', () => {
  const quote = 'Officials familiar with the German investigation of the audiotape leak said that WebEx is widely used';

  it('anchors at the stored position when the text there is unchanged', () => {
    const anchor = anchorFor(quote);
    expect(anchorQuote(text, anchor)).toEqual({ status: 'anchored', ...pick(anchor.position) });
  });

  it('finds the quote again when text was inserted before it (moved)', () => {
    const anchor = anchorFor(quote);
    const edited = `An editor's note added at the top.\n\n${text}`;
    const result = anchorQuote(edited, anchor);
    expect(result.status).toBe('moved');
    expect(edited.slice(result.start, result.end)).toBe(quote);
    expect(result.start).toBe(anchor.position.start + 36);
  });

  it('finds the quote with a typo introduced in the source (fuzzy, above the threshold)', () => {
    const anchor = anchorFor(quote);
    const edited = text.replace('audiotape leak', 'audiotap leak');
    const result = anchorQuote(edited, anchor);
    expect(result.status).toBe('fuzzy');
    expect(result.score).toBeGreaterThan(0.95);
    expect(result.score).toBeGreaterThan(MIN_FUZZY_SCORE);
    expect(edited.slice(result.start, result.end)).toBe(quote.replace('audiotape', 'audiotap'));
  });

  it('orphans a near miss that approximate search does return, when it scores below MIN_FUZZY_SCORE', () => {
    const exact = 'the convoy reached Kharkiv before dawn';
    const source = 'Officials said later that the column reached Kyiv well before noon, as planned by the staff.';
    // Another passage, 15 edits from the quote: within the min(256, length/2) that search allows.
    const candidates = approxSearch(source, exact, Math.floor(exact.length / 2));
    expect(candidates.map(({ start, errors }) => ({ start, errors }))).toContainEqual({ start: 26, errors: 15 });
    const quote = (prefix: string, suffix: string) => ({ type: 'TextQuoteSelector' as const, exact, prefix, suffix });

    // Its context is nothing like the quote's: it scores below the threshold, and is no anchor.
    const elsewhere = quote('Minutes of the 14 March meeting: ', ', according to two drivers.');
    expect(anchorQuote(source, { quote: elsewhere })).toEqual({ status: 'orphaned' });

    // The same candidate with the context it stands in scores above it: the threshold decided.
    const inPlace = quote(source.slice(0, 26), source.slice(63, 95));
    const found = anchorQuote(source, { quote: inPlace });
    expect(found).toMatchObject({ status: 'fuzzy', start: 26, end: 63 });
    expect(found.score).toBeGreaterThanOrEqual(MIN_FUZZY_SCORE);
  });

  it('reports an orphan when the quote was deleted from the source', () => {
    const anchor = anchorFor(quote);
    const paragraphStart = text.lastIndexOf('\n\n', anchor.position.start);
    const paragraphEnd = text.indexOf('\n\n', anchor.position.end);
    const edited = text.slice(0, paragraphStart) + text.slice(paragraphEnd);
    expect(anchorQuote(edited, anchor)).toEqual({ status: 'orphaned' });
  });

  it('reports an orphan for a quote that matches nothing, or an empty text', () => {
    const anchor = describeQuote('The quick brown fox jumps over the lazy dog.', 4, 19);
    expect(anchorQuote('Completely unrelated words appear here instead.', anchor).status).toBe('orphaned');
    expect(anchorQuote('', anchor).status).toBe('orphaned');
  });

  it('tells repeated quotes apart by their prefix and suffix', () => {
    const source = [
      'In Berlin the minister said the call was a mistake. Critics disagreed.',
      'In Singapore the officer said the call was a mistake. Nobody disagreed.',
    ].join('\n\n');
    const second = source.lastIndexOf('the call was a mistake');
    const anchor = describeQuote(source, second, second + 'the call was a mistake'.length);
    const edited = `Preface.\n\n${source}`;
    const result = anchorQuote(edited, { quote: anchor.quote });
    expect(result.status).toBe('moved');
    expect(result.start).toBe(edited.lastIndexOf('the call was a mistake'));
  });

  it('re-anchors selections at the very start and end of the text, whose context is short', () => {
    const first = describeQuote(text, 0, 40);
    const last = describeQuote(text, text.length - 30, text.length);
    expect(first.quote.prefix).toBe('');
    expect(last.quote.suffix).toBe('');
    const edited = text.replace('BERLIN—', 'BERLIN — ');
    expect(anchorQuote(edited, first)).toMatchObject({ status: 'anchored', start: 0, end: 40 });
    const moved = anchorQuote(edited, last);
    expect(moved.status).toBe('moved');
    expect(moved.end).toBe(edited.length);
  });

  it('ignores a stored position that lies outside the text', () => {
    const anchor = anchorFor(quote);
    const result = anchorQuote(text, {
      quote: anchor.quote,
      position: { type: 'TextPositionSelector', start: -5, end: 10 ** 9 },
    });
    expect(result).toMatchObject({ status: 'moved', start: anchor.position.start, end: anchor.position.end });
  });

  it.each(sampleNames())('re-anchors 50 random selections of %s at the same offsets', (name) => {
    const source = normaliseText(readSample(name.slice(0, 4)));
    const random = seededRandom(name.length * 7919 + source.length);
    let checked = 0;
    while (checked < 50) {
      const start = Math.floor(random() * source.length);
      const end = Math.min(source.length, start + 1 + Math.floor(random() * 300));
      if (source.slice(start, end).trim() === '') continue;
      const anchor = describeQuote(source, start, end);
      expect(anchorQuote(source, anchor)).toEqual({ status: 'anchored', ...pick(anchor.position) });
      checked++;
    }
  });

  it('round-trips right-to-left text and emoji through normalise, describe and anchor', () => {
    const source = normaliseText(
      'تقرير: تم اعتراض المكالمة 📞 عبر خط غير آمن.\r\n\r\n\r\n\r\nהשיחה יורטה 🔓 בגלל קו לא מאובטח.  \n👩🏽‍💻 Analysts   said: “Use the secure line.” 🇩🇪',
    );
    expect(source).toContain('\n\nהשיחה');
    for (const quote of ['المكالمة 📞 عبر', 'יורטה 🔓 בגלל', '👩🏽‍💻 Analysts said', '🇩🇪']) {
      const anchor = anchorFor(quote, source);
      expect(anchor.quote.exact).toBe(quote);
      expect(anchorQuote(source, anchor)).toMatchObject({ status: 'anchored' });
      const moved = anchorQuote(`שלום 🙂\n\n${source}`, anchor);
      expect(moved.status).toBe('moved');
      expect(`שלום 🙂\n\n${source}`.slice(moved.start, moved.end)).toBe(quote);
    }
  });
});

function pick(position: { start: number; end: number }) {
  return { start: position.start, end: position.end };
}
