import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type * as Y from 'yjs';
import { isMap } from './schema.ts';

/**
 * Sections and lessons are Y.Maps in a Y.Array whose reading order is their `order` key, a
 * fractional index (rocicorp's fractional-indexing): moving one sets its key between its new
 * neighbours'. Yjs arrays cannot move an element, and deleting and re-inserting a section would
 * copy its body, losing what a collaborator types into it meanwhile and every comment anchored
 * in it. Two people moving the same entry at once: the last key written wins, and both see the
 * same order. Entries with the same key (concurrent inserts) or without one sort by array position.
 */
const orderOf = (map: Y.Map<unknown>): string => {
  const order = map.get('order');
  return typeof order === 'string' ? order : '';
};

/** The maps of `array` in reading order; entries that are not maps are left out. */
export function orderedMaps(array: Y.Array<unknown>): Array<Y.Map<unknown>> {
  return array
    .toArray()
    .map((entry, index) => ({ entry, index }))
    .filter((e): e is { entry: Y.Map<unknown>; index: number } => isMap(e.entry))
    .sort((a, b) => {
      const x = orderOf(a.entry);
      const y = orderOf(b.entry);
      return x < y ? -1 : x > y ? 1 : a.index - b.index;
    })
    .map((e) => e.entry);
}

/**
 * An order key that places an entry at `index` among `others` (reading order, without the entry).
 * When the neighbours' keys cannot be put between (equal, missing, or not keys at all), every
 * entry of `others` is given a fresh key first: call it inside the transaction that uses the key.
 */
export function orderKeyAt(others: ReadonlyArray<Y.Map<unknown>>, index: number): string {
  const at = Math.max(0, Math.min(index, others.length));
  const between = () =>
    generateKeyBetween(at > 0 ? orderOf(others[at - 1]!) || null : null, orderOf(others[at] ?? emptyMap) || null);
  try {
    if (others.every((map) => orderOf(map) !== '')) return between();
  } catch {
    // Equal or foreign keys: renumber below.
  }
  const keys = generateNKeysBetween(null, null, others.length);
  others.forEach((map, i) => {
    map.set('order', keys[i]!);
  });
  return between();
}

const emptyMap = { get: () => undefined } as unknown as Y.Map<unknown>;

/** Fresh keys for `n` entries in order (a new document, a migration). */
export const initialOrderKeys = (n: number): string[] => generateNKeysBetween(null, null, n);
