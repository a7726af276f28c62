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

/**
 * The server-owned meta key (SERVER_OWNED_META_KEYS) a client's update writes or deletes, or
 * null: the status (written through the status API, which checks who may finalise and reopen) and
 * the schema version (written when a briefing is made or migrated). A map entry written
 * over an existing one names no parent in the update, only its left neighbour, the entry it
 * replaces: the parent and key are found through that neighbour, in the document or earlier in
 * the same update. Called only for updates checkUpdate accepted (decodable, within limits).
 */
export function serverOwnedKeyTouched(update: Uint8Array, doc: Y.Doc): string | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const meta = doc.getMap(ROOT_META);
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client) ?? [];
    list.push(struct);
    byClient.set(struct.id.client, list);
  }
  const inUpdate = (id: Y.ID): Struct | undefined =>
    byClient.get(id.client)?.find((s) => id.clock >= s.id.clock && id.clock < s.id.clock + s.length);
  const inDoc = (id: Y.ID): Y.Item | null => {
    if (Y.getState(doc.store, id.client) <= id.clock) return null;
    const found = Y.getItem(doc.store, id);
    return found instanceof Y.Item ? found : null;
  };
  /** [is in the meta map, key] of an item, following neighbours; bounded by the update's size. */
  const placeOf = (item: Y.Item, hops: number): [boolean, string | null] => {
    if (typeof item.parent === 'string') return [item.parent === ROOT_META, item.parentSub];
    if (item.parent instanceof Y.AbstractType) return [item.parent === meta, item.parentSub];
    if (item.parent !== null || hops > structs.length) return [false, null];
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour) return [false, null];
    const known = inDoc(neighbour);
    if (known) return [known.parent === meta, known.parentSub];
    const pending = inUpdate(neighbour);
    return pending instanceof Y.Item ? placeOf(pending, hops + 1) : [false, null];
  };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const [inMeta, key] = placeOf(struct, 0);
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
