import { type ExcerptAttrs, ExcerptShapeError, newExcerptAttrs } from '@debrief/briefing';
import { describeQuote, type QuoteAnchor } from '@debrief/sources';

/** The drag-and-drop type that carries a passage from the source reader into a section. */
export const EXCERPT_MIME = 'application/x-debrief-excerpt';

/** A passage of a source, described with the W3C selectors that anchor an excerpt. */
export interface QuotedPassage extends QuoteAnchor {
  sourceId: string;
}

/** Describes text.slice(start, end) of a source; throws SourceError('invalid_selection') on blanks. */
export function quotePassage(sourceId: string, text: string, start: number, end: number): QuotedPassage {
  return { sourceId, ...describeQuote(text, start, end) };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isOffset = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** Reads a dropped passage; null for anything malformed, since any page can start a drag with our type. */
export function parsePassage(json: string): QuotedPassage | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const { sourceId, quote, position, quoteSha256 } = value as Partial<Record<keyof QuotedPassage, unknown>>;
  if (!isString(sourceId) || !isString(quoteSha256) || !quote || !position) return null;
  const { exact, prefix, suffix } = quote as Record<string, unknown>;
  const { start, end } = position as Record<string, unknown>;
  if (!isString(exact) || exact === '' || !isString(prefix) || !isString(suffix)) return null;
  if (!isOffset(start) || !isOffset(end) || end <= start) return null;
  return {
    sourceId,
    quote: { type: 'TextQuoteSelector', exact, prefix, suffix },
    position: { type: 'TextPositionSelector', start, end },
    quoteSha256,
  };
}

/** The attributes of a new excerpt node quoting the passage; the server alone moves `status` on from 'pending'. */
export function excerptFromPassage(passage: QuotedPassage): ExcerptAttrs {
  return newExcerptAttrs({
    sourceId: passage.sourceId,
    exact: passage.quote.exact,
    prefix: passage.quote.prefix,
    suffix: passage.quote.suffix,
    start: passage.position.start,
    end: passage.position.end,
    quoteSha256: passage.quoteSha256,
  });
}

/** The excerpt a dropped passage makes; null when it is malformed or the excerpt rules refuse it. */
export function droppedExcerpt(json: string): ExcerptAttrs | null {
  const passage = parsePassage(json);
  if (!passage) return null;
  try {
    return excerptFromPassage(passage);
  } catch (cause) {
    if (cause instanceof ExcerptShapeError) return null;
    throw cause;
  }
}
