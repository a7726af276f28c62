import approxSearch from 'approx-string-match';

/** Quotes shorter than this say too little to be found "again" in another source. */
export const MIN_CORROBORATION_CHARS = 24;
const MIN_CORROBORATION_WORDS = 4;
/** "Nearly": at most this share of the quote's characters differ (a word or two in a sentence). */
export const MAX_CORROBORATION_ERRORS = 0.15;
/** Share of the quote's three-word runs a source must contain before it is searched letter by letter. */
const CANDIDATE_OVERLAP = 0.4;

export interface Corroboration {
  sourceId: string;
  /** `exact`: the quote is in the source as it is (case, quote marks and dashes aside); `near`: nearly. */
  match: 'exact' | 'near';
  /** 1 − edits / length of the quote. */
  similarity: number;
  /** Where, in the other source's text. */
  start: number;
  end: number;
}

const DASHES = /[‐‑‒–—―−]/;
const SINGLE_QUOTES = /[‘’‚‛′]/;
const DOUBLE_QUOTES = /[“”„‟″«»]/;

/**
 * The text compared, one character for one so that offsets stay those of the source: lower case,
 * every quotation mark and dash in one form, line breaks as spaces. Two outlets quoting the same
 * statement differ in exactly these.
 */
export function foldForCorroboration(text: string): string {
  let folded = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const same = lower.length === char.length ? lower : char;
    folded += DASHES.test(same)
      ? '-'
      : SINGLE_QUOTES.test(same)
        ? "'"
        : DOUBLE_QUOTES.test(same)
          ? '"'
          : same === '\n'
            ? ' '
            : same;
  }
  return folded;
}

/** FNV-1a of a run of words: the index keeps numbers, not strings. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Each run of three words (hashed), with where its first word starts in the text. */
function shingles(folded: string): Map<number, number> {
  const words = [...folded.matchAll(WORD)];
  const result = new Map<number, number>();
  for (let index = 0; index + 3 <= words.length; index++) {
    const key = hash(`${words[index]![0]} ${words[index + 1]![0]} ${words[index + 2]![0]}`);
    if (!result.has(key)) result.set(key, words[index]!.index);
  }
  return result;
}

interface Indexed {
  folded: string;
  shingles: Map<number, number>;
}

/**
 * Finds a quote again in other sources of a workspace: exactly, or nearly (at most
 * MAX_CORROBORATION_ERRORS of its characters differ), with the approximate search the anchoring code
 * uses (`approx-string-match`). Each source's text is indexed once by its three-word runs, so only
 * sources that share most of the quote's runs are searched letter by letter. Source texts never
 * change after import, so entries stay valid; the least recently used are dropped past `capacity`.
 */
export class CorroborationIndex {
  readonly #entries = new Map<string, Indexed>();

  constructor(private readonly capacity = 2000) {}

  has(sourceId: string): boolean {
    return this.#entries.has(sourceId);
  }

  add(sourceId: string, text: string): void {
    const folded = foldForCorroboration(text);
    this.#entries.delete(sourceId);
    this.#entries.set(sourceId, { folded, shingles: shingles(folded) });
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** Where `quote` is found in each of `sourceIds` (those indexed), best first. */
  find(quote: string, sourceIds: Iterable<string>): Corroboration[] {
    const needle = foldForCorroboration(quote.trim());
    const wanted = shingles(needle);
    if (needle.length < MIN_CORROBORATION_CHARS || wanted.size < MIN_CORROBORATION_WORDS - 2) return [];
    const found: Corroboration[] = [];
    for (const sourceId of sourceIds) {
      const entry = this.#entries.get(sourceId);
      if (!entry) continue;
      const positions: number[] = [];
      for (const shingle of wanted.keys()) {
        const at = entry.shingles.get(shingle);
        if (at !== undefined) positions.push(at);
      }
      if (positions.length / wanted.size < CANDIDATE_OVERLAP) continue;
      const at = entry.folded.indexOf(needle);
      if (at !== -1) {
        found.push({ sourceId, match: 'exact', similarity: 1, start: at, end: at + needle.length });
        continue;
      }
      // Searched letter by letter only around where its runs of words were found.
      const from = Math.max(0, Math.min(...positions) - needle.length);
      const to = Math.min(entry.folded.length, Math.max(...positions) + 2 * needle.length);
      const maxErrors = Math.floor(needle.length * MAX_CORROBORATION_ERRORS);
      const matches = approxSearch(entry.folded.slice(from, to), needle, maxErrors);
      const best = matches.reduce<(typeof matches)[number] | undefined>(
        (winner, match) => (!winner || match.errors < winner.errors ? match : winner),
        undefined,
      );
      if (best) {
        found.push({
          sourceId,
          match: 'near',
          similarity: 1 - best.errors / needle.length,
          start: from + best.start,
          end: from + best.end,
        });
      }
    }
    return found.sort((a, b) => b.similarity - a.similarity);
  }
}
