import { MessageType } from '@debrief/briefing';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

/**
 * Frames of the collaboration protocol written byte by byte, so a fuzzer can say what no Yjs or
 * y-protocols encoder would: any clock, any client id, JSON of any depth. The layouts follow
 * yjs's UpdateEncoderV1 and y-protocols' awareness encoding; docs/document-schema.md has the
 * message types.
 */

export const SyncType = {
  Step1: syncProtocol.messageYjsSyncStep1,
  Step2: syncProtocol.messageYjsSyncStep2,
  Update: syncProtocol.messageYjsUpdate,
} as const;

/** The highest clock a varUint decodes without `integer out of range`: 2^53 − 1. */
export const MAX_CLOCK = Number.MAX_SAFE_INTEGER;

export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function build(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function varUints(...values: number[]): Uint8Array {
  return build((e) => {
    for (const value of values) encoding.writeVarUint(e, value);
  });
}

/** A sync message: step 1 carries a state vector, step 2 and update carry a Yjs update. */
export function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, syncType);
    encoding.writeVarUint8Array(e, payload);
  });
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state as JSON text, written as is: `null` removes the client. */
  json: string;
}

export function awarenessFrame(entries: AwarenessEntry[]): Uint8Array {
  const update = build((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, entry.json);
    }
  });
  return build((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, update);
  });
}

/** Debrief's saved query (type 100): the server echoes `sequence` once what came before is durable. */
export function savedQueryFrame(sequence: number): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, MessageType.SavedQuery);
    encoding.writeVarUint(e, sequence);
  });
}

export function stateVector(entries: Array<[client: number, clock: number]>): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const [client, clock] of entries) {
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, clock);
    }
  });
}

/** JSON text of an array (or object) nested `depth` levels: JSON.parse copes, JSON.stringify does not. */
export function deepJson(depth: number, shape: 'array' | 'object' = 'array'): string {
  return shape === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

/** lib0 `writeAny` bytes of an array nested `depth` levels. */
export function deepAny(depth: number): Uint8Array {
  const bytes = new Uint8Array(2 * depth);
  for (let level = 0; level < depth; level++) {
    bytes[2 * level] = 117; // array
    bytes[2 * level + 1] = level === depth - 1 ? 0 : 1; // length
  }
  return bytes;
}

/** Item contents by their ref in yjs's `contentRefs` table, each writing its UpdateEncoderV1 layout. */
export type ItemContent =
  | { ref: 1; length: number } // ContentDeleted
  | { ref: 2; values: string[] } // ContentJSON: each value is JSON text
  | { ref: 4; text: string } // ContentString
  | { ref: 5; json: string } // ContentEmbed
  | { ref: 6; key: string; json: string } // ContentFormat
  | { ref: 8; values: Uint8Array[] }; // ContentAny: each value is `writeAny` bytes

/** Where an item goes: a root type by name, or the type an existing item holds; `key` makes it a map entry. */
export type ItemParent = { root: string; key?: string } | { client: number; clock: number; key?: string };

export interface ItemStruct {
  client: number;
  clock: number;
  parent: ItemParent;
  content: ItemContent;
}

function writeContent(e: encoding.Encoder, content: ItemContent): void {
  switch (content.ref) {
    case 1:
      encoding.writeVarUint(e, content.length);
      return;
    case 2:
      encoding.writeVarUint(e, content.values.length);
      for (const value of content.values) encoding.writeVarString(e, value);
      return;
    case 4:
      encoding.writeVarString(e, content.text);
      return;
    case 5:
      encoding.writeVarString(e, content.json);
      return;
    case 6:
      encoding.writeVarString(e, content.key);
      encoding.writeVarString(e, content.json);
      return;
    case 8:
      encoding.writeVarUint(e, content.values.length);
      for (const value of content.values) encoding.writeUint8Array(e, value);
      return;
  }
}

/**
 * A Yjs update (v1) holding one item with no left or right origin, so it needs nothing but its
 * parent and its own clock's predecessors; plus an optional delete set.
 */
export function itemUpdate(item: ItemStruct, deletes: Array<[client: number, clock: number, length: number]> = []) {
  return build((e) => {
    encoding.writeVarUint(e, 1); // clients with structs
    encoding.writeVarUint(e, 1); // structs of that client
    encoding.writeVarUint(e, item.client);
    encoding.writeVarUint(e, item.clock);
    const hasKey = item.parent.key !== undefined;
    encoding.writeUint8(e, item.content.ref | (hasKey ? 0x20 : 0));
    if ('root' in item.parent) {
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, item.parent.root);
    } else {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, item.parent.client);
      encoding.writeVarUint(e, item.parent.clock);
    }
    if (item.parent.key !== undefined) encoding.writeVarString(e, item.parent.key);
    writeContent(e, item.content);
    writeDeleteSet(e, deletes);
  });
}

/** A Yjs update (v1) of one GC struct: `length` clocks of `client` that are gone. */
export function gcUpdate(client: number, clock: number, length: number): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, length);
    writeDeleteSet(e, []);
  });
}

/** A Yjs update (v1) with no structs, only a delete set. */
export function deleteSetUpdate(deletes: Array<[client: number, clock: number, length: number]>): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, 0);
    writeDeleteSet(e, deletes);
  });
}

function writeDeleteSet(e: encoding.Encoder, deletes: Array<[client: number, clock: number, length: number]>) {
  encoding.writeVarUint(e, deletes.length);
  for (const [client, clock, length] of deletes) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint(e, length);
  }
}
