/**
 * Identifiers from clients (briefing ids in paths, ids in the API, source ids in excerpts) are
 * UUIDs. PostgreSQL compares them case-insensitively, but everything in memory keys on strings, so
 * an id is parsed once into its canonical form (lower case) before anything keys on it: two
 * spellings of one id must never become two in-memory copies of one briefing.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The canonical form of a UUID, or null when `raw` is not one. */
export function parseId(raw: string): string | null {
  return UUID.test(raw) ? raw.toLowerCase() : null;
}

export const isId = (raw: string): boolean => UUID.test(raw);
