import { SourceError } from './SourceError.ts';
import { sha256Hex } from './sha256Hex.ts';

/** W3C Web Annotation TextQuoteSelector. */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

/** W3C Web Annotation TextPositionSelector: UTF-16 offsets into the normalised source text. */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

export interface QuoteAnchor {
  quote: TextQuoteSelector;
  position: TextPositionSelector;
  /** Hex sha256 of `quote.exact`, to show that a stored quote was never edited. */
  quoteSha256: string;
}

/** Characters of context kept before and after a quote. */
export const CONTEXT_LENGTH = 32;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** True when `offset` falls between the two halves of a surrogate pair (inside one emoji, say). */
function splitsPair(text: string, offset: number): boolean {
  return (
    offset > 0 &&
    offset < text.length &&
    isHighSurrogate(text.charCodeAt(offset - 1)) &&
    isLowSurrogate(text.charCodeAt(offset))
  );
}

function invalidSelection(message: string): SourceError {
  return new SourceError('invalid_selection', message);
}

/**
 * Describes the selection `text.slice(start, end)` as a quote with 32 characters of context on
 * each side and as a position. Whitespace around the selection is left out, and a selection edge
 * inside a surrogate pair is widened to the whole character.
 */
export function describeQuote(text: string, start: number, end: number): QuoteAnchor {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
    throw invalidSelection('The selection is empty or lies outside the source text.');
  }
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  if (from === to) throw invalidSelection('The selection contains only spaces or line breaks.');
  if (splitsPair(text, from)) from--;
  if (splitsPair(text, to)) to++;

  let prefixStart = Math.max(0, from - CONTEXT_LENGTH);
  if (splitsPair(text, prefixStart)) prefixStart++;
  let suffixEnd = Math.min(text.length, to + CONTEXT_LENGTH);
  if (splitsPair(text, suffixEnd)) suffixEnd--;

  const exact = text.slice(from, to);
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact,
      prefix: text.slice(prefixStart, from),
      suffix: text.slice(to, suffixEnd),
    },
    position: { type: 'TextPositionSelector', start: from, end: to },
    quoteSha256: sha256Hex(exact),
  };
}

/** A quote's anchor as the flat attributes an excerpt element carries (ExcerptClaim). */
export function excerptSelectors(anchor: QuoteAnchor) {
  const { exact, prefix, suffix } = anchor.quote;
  const { start, end } = anchor.position;
  return { exact, prefix, suffix, start, end, quoteSha256: anchor.quoteSha256 };
}
