import approxSearch from 'approx-string-match';
import type { TextPositionSelector, TextQuoteSelector } from './describeQuote.ts';

export type AnchorStatus = 'anchored' | 'moved' | 'fuzzy' | 'orphaned';

export interface AnchorResult {
  status: AnchorStatus;
  start?: number;
  end?: number;
  /** 0–1, for 'moved' and 'fuzzy': how well the quote and its context match at the new place. */
  score?: number;
}

/**
 * A fuzzy match scoring below this is more likely another passage than the quote: it is reported
 * as an orphan rather than pointed at. (A single typo in a quote with intact context scores > 0.95.)
 */
export const MIN_FUZZY_SCORE = 0.5;

const QUOTE_WEIGHT = 50;
const PREFIX_WEIGHT = 20;
const SUFFIX_WEIGHT = 20;
const POSITION_WEIGHT = 2;
const MAX_SCORE = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT;

interface Match {
  start: number;
  end: number;
  errors: number;
}

function exactMatches(text: string, quote: string): Match[] {
  const matches: Match[] = [];
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    matches.push({ start: at, end: at + quote.length, errors: 0 });
  }
  return matches;
}

/** 1 − (edit distance of the best match of `expected` within `actual`) / length of `expected`. */
function similarity(actual: string, expected: string): number {
  if (expected.length === 0 || actual.length === 0) return 0;
  if (actual.includes(expected)) return 1;
  const best = approxSearch(actual, expected, expected.length)[0];
  return best ? 1 - best.errors / expected.length : 0;
}

function scorer(text: string, quote: TextQuoteSelector, hint: number | undefined) {
  return (match: Match): number => {
    const quoteScore = 1 - match.errors / quote.exact.length;
    const prefixScore = quote.prefix
      ? similarity(text.slice(Math.max(0, match.start - quote.prefix.length), match.start), quote.prefix)
      : 1;
    const suffixScore = quote.suffix
      ? similarity(text.slice(match.end, match.end + quote.suffix.length), quote.suffix)
      : 1;
    const positionScore = hint === undefined ? 1 : 1 - Math.abs(match.start - hint) / text.length;
    return (
      (QUOTE_WEIGHT * quoteScore +
        PREFIX_WEIGHT * prefixScore +
        SUFFIX_WEIGHT * suffixScore +
        POSITION_WEIGHT * positionScore) /
      MAX_SCORE
    );
  };
}

function best(matches: Match[], score: (match: Match) => number): { start: number; end: number; score: number } {
  let winner = { start: matches[0]!.start, end: matches[0]!.end, score: score(matches[0]!) };
  for (const match of matches.slice(1)) {
    const candidate = score(match);
    if (candidate > winner.score) winner = { start: match.start, end: match.end, score: candidate };
  }
  return winner;
}

function isRange(text: string, { start, end }: TextPositionSelector): boolean {
  return Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= text.length;
}

/**
 * Finds a stored quote in (possibly changed) source text, as Hypothesis re-anchors annotations:
 * 1. the stored position, if the text there is still exactly the quote → 'anchored';
 * 2. else every exact occurrence, the best by context and position → 'moved';
 * 3. else approximate matches with up to min(256, len/2) edits, scored by quote (50), prefix (20),
 *    suffix (20) and position (2) similarity → 'fuzzy' when the best scores ≥ MIN_FUZZY_SCORE;
 * 4. else 'orphaned'.
 */
export function anchorQuote(
  text: string,
  anchor: { quote: TextQuoteSelector; position?: TextPositionSelector },
): AnchorResult {
  const { quote, position } = anchor;
  const exact = quote.exact;
  if (exact.length === 0 || text.length === 0) return { status: 'orphaned' };
  if (position && isRange(text, position) && text.slice(position.start, position.end) === exact) {
    return { status: 'anchored', start: position.start, end: position.end };
  }
  const score = scorer(text, quote, position && isRange(text, position) ? position.start : undefined);
  const exactly = exactMatches(text, exact);
  if (exactly.length > 0) return { status: 'moved', ...best(exactly, score) };
  const approximately = approxSearch(text, exact, Math.min(256, Math.floor(exact.length / 2)));
  if (approximately.length === 0) return { status: 'orphaned' };
  const match = best(approximately, score);
  return match.score >= MIN_FUZZY_SCORE ? { status: 'fuzzy', ...match } : { status: 'orphaned' };
}
