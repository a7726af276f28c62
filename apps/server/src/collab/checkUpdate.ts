import * as Y from 'yjs';
import { UPDATE_LIMITS } from './limits.ts';
import { valueProblem } from './valueShape.ts';

/**
 * The verdict on a client's Yjs update, reached before it touches the shared document:
 * - `apply`: within limits, and everything it builds on is already in the document, so Yjs will
 *   integrate it completely (nothing is left pending in memory, unlogged);
 * - `refuse`: not something a Debrief client writes (too deep, too big, a subdocument, a root type
 *   outside the briefing schema, insane ids or clocks, undecodable): the connection is closed;
 * - `missing`: well-formed, but it builds on operations the server has not seen (a gap in a
 *   client's clock, an origin or deletion the server does not know). A stock client that raced a
 *   reconnect can send this; the server applies nothing and asks for a resync instead.
 */
export type UpdateVerdict =
  | { kind: 'apply' }
  | { kind: 'refuse'; reason: string }
  | { kind: 'missing'; reason: string };

const APPLY: UpdateVerdict = { kind: 'apply' };
const refuse = (reason: string): UpdateVerdict => ({ kind: 'refuse', reason });
const missing = (reason: string): UpdateVerdict => ({ kind: 'missing', reason });

/** Clock ranges an update brings, per client. */
type Ranges = Map<number, { start: number; end: number }>;

function contentProblem(content: Y.Item['content'], budget: { nodes: number }): string | null {
  const limits = UPDATE_LIMITS;
  if (content instanceof Y.ContentString) {
    return content.str.length > limits.maxStringLength ? `a text run longer than ${limits.maxStringLength}` : null;
  }
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    for (const value of content.arr) {
      const problem = valueProblem(value, limits, budget);
      if (problem) return problem;
    }
    return null;
  }
  if (content instanceof Y.ContentEmbed) return valueProblem(content.embed, limits, budget);
  if (content instanceof Y.ContentFormat) {
    if (content.key.length > limits.maxKeyLength) return `a format name longer than ${limits.maxKeyLength}`;
    return valueProblem(content.value, limits, budget);
  }
  if (content instanceof Y.ContentBinary) {
    return content.content.length > limits.maxStringLength
      ? `binary content longer than ${limits.maxStringLength}`
      : null;
  }
  if (content instanceof Y.ContentType) {
    const type = content.type;
    const name = type instanceof Y.XmlElement ? type.nodeName : type instanceof Y.XmlHook ? type.hookName : '';
    return name.length > limits.maxKeyLength ? `a node name longer than ${limits.maxKeyLength}` : null;
  }
  // A briefing has no subdocuments; loading one on the server would be a second, unguarded document.
  if (content instanceof Y.ContentDoc) return 'a subdocument';
  return null;
}

/**
 * Checks `update` against the limits and against what `doc` already holds. Total: never throws,
 * whatever the bytes, and does no recursion on client data.
 */
export function checkUpdate(update: Uint8Array, doc: Y.Doc, roots: ReadonlySet<string>): UpdateVerdict {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return refuse('undecodable Yjs update');
  }
  const limits = UPDATE_LIMITS;
  const { structs, ds } = decoded;
  if (structs.length > limits.maxStructs) return refuse(`more than ${limits.maxStructs} structs`);
  const known = (client: number): number => Y.getState(doc.store, client);
  // Every reason to refuse is looked for before any reason to resync: a stored row is checked for
  // the limits alone, and an update that is both hostile and incomplete must be refused.
  let gap: string | null = null;

  const ranges: Ranges = new Map();
  let previous: Y.Item | Y.GC | Y.Skip | undefined;
  for (const struct of structs) {
    const { client, clock } = struct.id;
    if (client > limits.maxClientId) return refuse('a client id out of range');
    if (clock + struct.length > limits.maxClock) return refuse('a clock out of range');
    // Yjs never writes an empty struct; one of length 0 breaks integration and compaction.
    if (struct.length < 1) return refuse('an empty struct');
    if (struct instanceof Y.Skip) gap ??= 'a gap inside the update';
    if (previous?.id.client === client) {
      // Yjs's encoder writes each client once, its structs back to back.
      if (previous.id.clock + previous.length !== clock) return refuse('structs of one client out of order');
      ranges.get(client)!.end = clock + struct.length;
    } else {
      if (ranges.has(client)) return refuse('one client written twice');
      if (clock > known(client)) gap ??= `client ${client} starts after the operations the server has`;
      ranges.set(client, { start: clock, end: clock + struct.length });
    }
    previous = struct;
  }

  const isKnown = (id: Y.ID): boolean => {
    if (id.clock < known(id.client)) return true;
    const range = ranges.get(id.client);
    return range !== undefined && id.clock >= range.start && id.clock < range.end;
  };
  const budget = { nodes: 0 };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    if ((struct.origin && !isKnown(struct.origin)) || (struct.rightOrigin && !isKnown(struct.rightOrigin))) {
      gap ??= 'an item next to one the server does not have';
    }
    const parent = struct.parent as unknown;
    if (typeof parent === 'string') {
      if (!roots.has(parent)) return refuse(`a root type outside the briefing schema (${parent.slice(0, 40)})`);
    } else if (parent instanceof Y.ID && !isKnown(parent)) {
      gap ??= 'an item inside one the server does not have';
    }
    if (struct.parentSub !== null && struct.parentSub.length > limits.maxKeyLength) {
      return refuse(`a key longer than ${limits.maxKeyLength}`);
    }
    const problem = contentProblem(struct.content, budget);
    if (problem) return refuse(problem);
  }

  let deleteRanges = 0;
  for (const [client, items] of ds.clients) {
    if (client > limits.maxClientId) return refuse('a client id out of range');
    deleteRanges += items.length;
    if (deleteRanges > limits.maxDeleteRanges) return refuse(`more than ${limits.maxDeleteRanges} deletions`);
    const knownEnd = Math.max(known(client), ranges.get(client)?.end ?? 0);
    for (const item of items) {
      if (item.len < 1) return refuse('an empty deletion');
      if (item.clock + item.len > limits.maxClock) return refuse('a clock out of range');
      if (item.clock + item.len > knownEnd) gap ??= 'a deletion of something the server does not have';
    }
  }
  return gap ? missing(gap) : APPLY;
}
