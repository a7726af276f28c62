import { getStatus, ROOT_META, SERVER_OWNED_META_KEYS } from '@debrief/briefing';
import { can } from '@debrief/policy';
import * as Y from 'yjs';
import type { Principal } from './ClientConnection.ts';
import type { SharedDocument } from './SharedDocument.ts';

/**
 * Why `principal` may not change the document now, or null when they may: a viewer never
 * (`read_only`); nobody but a lead while the briefing is final (`final`). The reason goes to the
 * client in a permission-denied message, like a viewer's.
 */
export function editRefusal(principal: Principal, document: SharedDocument): 'read_only' | 'final' | null {
  if (!can(principal, 'briefing.edit', document.resource)) return 'read_only';
  if (getStatus(document.doc) === 'final' && !can(principal, 'briefing.finalise', document.resource)) return 'final';
  return null;
}

type Struct = Y.Item | Y.GC | Y.Skip;
/** Where an item of an update lives: in the meta map (and under which key), or elsewhere. */
type Place = { inMeta: boolean; key: string | null };
const ELSEWHERE: Place = { inMeta: false, key: null };

/**
 * The server-owned meta key (SERVER_OWNED_META_KEYS) a client's update writes or deletes, or
 * null: the status (written through the status API, which checks who may finalise and reopen) and
 * the schema version (written when a briefing is made or migrated). A map entry written
 * over an existing one names no parent in the update, only its left neighbour, the entry it
 * replaces: the parent and key are found through that neighbour, in the document or earlier in
 * the same update. Called only for updates checkUpdate accepted (decodable, within limits).
 *
 * Linear in the update: each item's place is resolved once (a chain of neighbours is walked
 * iteratively, and every item on it takes the answer), and a neighbour is found in the update by
 * binary search. An update of 100,000 items each naming the previous one is an ordinary paste.
 */
export function serverOwnedKeyTouched(update: Uint8Array, doc: Y.Doc): string | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const meta = doc.getMap(ROOT_META);
  // Y.decodeUpdate lists each client's structs by ascending clock.
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  const inUpdate = (id: Y.ID): Struct | undefined => {
    const list = byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const struct = list[middle]!;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return undefined;
  };
  const inDoc = (id: Y.ID): Y.Item | null => {
    if (Y.getState(doc.store, id.client) <= id.clock) return null;
    const found = Y.getItem(doc.store, id);
    return found instanceof Y.Item ? found : null;
  };
  const places = new Map<Y.Item, Place>();
  const placeOf = (start: Y.Item): Place => {
    const chain: Y.Item[] = [];
    let item = start;
    let place: Place | undefined;
    while (place === undefined) {
      const known = places.get(item);
      if (known) {
        place = known;
        break;
      }
      chain.push(item);
      if (typeof item.parent === 'string') place = { inMeta: item.parent === ROOT_META, key: item.parentSub };
      else if (item.parent instanceof Y.AbstractType) place = { inMeta: item.parent === meta, key: item.parentSub };
      else if (item.parent !== null || chain.length > structs.length) place = ELSEWHERE;
      else {
        const neighbour = item.origin ?? item.rightOrigin;
        const inDocument = neighbour && inDoc(neighbour);
        const pending = neighbour && !inDocument ? inUpdate(neighbour) : undefined;
        if (inDocument) place = { inMeta: inDocument.parent === meta, key: inDocument.parentSub };
        else if (pending instanceof Y.Item) item = pending;
        else place = ELSEWHERE;
      }
    }
    for (const walked of chain) places.set(walked, place);
    return place;
  };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const { inMeta, key } = placeOf(struct);
    if (inMeta && key !== null && SERVER_OWNED_META_KEYS.has(key)) return key;
  }
  const entries = (meta as unknown as { _map: Map<string, Y.Item> })._map;
  for (const key of SERVER_OWNED_META_KEYS) {
    const current = entries.get(key);
    if (!current) continue;
    const deletes = ds.clients.get(current.id.client) ?? [];
    if (deletes.some((d) => current.id.clock >= d.clock && current.id.clock < d.clock + d.len)) return key;
  }
  return null;
}
