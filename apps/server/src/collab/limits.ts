/**
 * What the server accepts from a collaboration client, checked before anything touches a shared
 * document or is relayed (docs/security.md lists them with what a client sees on each).
 *
 * Chosen from measured briefings: a 100-page briefing (≈ 50,000 words typed by three people, with
 * formatting, 300 excerpts) sent whole as one update is in `limits.test.ts` and passes with more
 * than ten times the room on every count. Real content is shallow (node attributes and mark
 * attributes are flat: depth 2), so the depth limit is far above anything an editor writes and far
 * below what would overflow a stack when the document is encoded.
 */
export const UPDATE_LIMITS = {
  /** Structs (items, GC ranges) in one update. */
  maxStructs: 1_000_000,
  /** Nesting of any JSON-like value: ContentAny, ContentJSON, ContentEmbed, ContentFormat. */
  maxValueDepth: 16,
  /** JSON-like values (every array element, object entry, scalar) in one update. */
  maxValueNodes: 1_000_000,
  /** UTF-16 code units of any one string: a text run, an attribute value, a quote. */
  maxStringLength: 2_000_000,
  /** Map keys, attribute names, format names, XML node names. */
  maxKeyLength: 1_024,
  /** Delete-set ranges in one update. */
  maxDeleteRanges: 1_000_000,
  /**
   * Yjs client ids are random 32-bit numbers, and a clock counts one client's operations: four
   * billion is beyond any real history, and far from 2^53 where the arithmetic stops being exact.
   */
  maxClientId: 0xffff_ffff,
  maxClock: 0xffff_ffff,
} as const;

export const AWARENESS_LIMITS = {
  /**
   * Entries in one awareness update. A stock client announces its own state, but it also sends
   * back every presence change it receives, which the server relays in batches: one entry per
   * person in the briefing.
   */
  maxEntries: 1_000,
  /** Characters of one client's JSON state (a stock editor's is a few hundred). */
  maxStateLength: 32 * 1024,
  maxValueDepth: 16,
  /** JSON values in one awareness update, all entries together. */
  maxValueNodes: 100_000,
  maxStringLength: 32 * 1024,
  maxKeyLength: 256,
  maxClock: 0xffff_ffff,
  /** Client ids one connection may announce presence for: its own, set on first use. */
  idsPerConnection: 1,
  /** Presence changes are relayed together, at most once per this many ms per briefing. */
  broadcastIntervalMs: 50,
} as const;

export interface ValueLimits {
  maxValueDepth: number;
  maxValueNodes: number;
  maxStringLength: number;
  maxKeyLength: number;
}
