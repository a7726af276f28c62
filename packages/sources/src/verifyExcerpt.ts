import { anchorQuote } from './anchorQuote.ts';
import { sha256Hex } from './sha256Hex.ts';

/** What an excerpt claims: its quote, the hash taken of it, and where it was in its source. */
export interface ExcerptClaim {
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
  quoteSha256: string;
}

/** The result of checking an excerpt against its source's text, as the excerpt's verdict writes it. */
export interface ExcerptCheck {
  status: 'anchored' | 'moved' | 'fuzzy' | 'orphaned' | 'modified';
  statusReason: string | null;
  anchoredStart: number | null;
  anchoredEnd: number | null;
}

const check = (
  status: ExcerptCheck['status'],
  statusReason: string | null = null,
  anchoredStart: number | null = null,
  anchoredEnd: number | null = null,
): ExcerptCheck => ({ status, statusReason, anchoredStart, anchoredEnd });

/**
 * Checks one excerpt against its source's normalised text (null: no such source where the
 * excerpt may cite it): the quote must still be the one its hash was taken of, then it is
 * re-anchored (anchorQuote). The live citation check and export both judge excerpts with this.
 */
export function verifyExcerpt(excerpt: ExcerptClaim, sourceText: string | null): ExcerptCheck {
  if (sha256Hex(excerpt.exact) !== excerpt.quoteSha256) {
    return check('modified', 'exact is not the quote its quoteSha256 was taken of');
  }
  if (sourceText === null) return check('orphaned', 'no source with this sourceId in the briefing’s workspace');
  const result = anchorQuote(sourceText, {
    quote: { type: 'TextQuoteSelector', exact: excerpt.exact, prefix: excerpt.prefix, suffix: excerpt.suffix },
    position: { type: 'TextPositionSelector', start: excerpt.start, end: excerpt.end },
  });
  if (result.status === 'orphaned') return check('orphaned', 'the quote was not found in its source’s text');
  return check(result.status, null, result.start ?? null, result.end ?? null);
}
