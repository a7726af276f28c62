import { MessageType } from '@debrief/briefing';
import type { EditCorpus } from './EditCorpus.ts';
import {
  type AwarenessEntry,
  awarenessFrame,
  concat,
  deepAny,
  deepJson,
  deleteSetUpdate,
  gcUpdate,
  type ItemContent,
  type ItemParent,
  itemUpdate,
  MAX_CLOCK,
  SyncType,
  savedQueryFrame,
  stateVector,
  syncFrame,
  varUints,
} from './frames.ts';
import { mutate } from './mutate.ts';
import type { Random } from './seed.ts';

export interface ItemId {
  client: number;
  clock: number;
}

/** What one fuzz connection knows when it makes up its next frame. */
export interface FrameContext {
  random: Random;
  corpus: EditCorpus;
  /** This connection's own awareness client id and the last clock it used. */
  own: { clientId: number; clock: number };
  /** Awareness ids that belong to others: the stock clients, other fuzz connections. */
  foreignIds(): number[];
  /** Items of the watched briefing that hold a type (section maps and bodies): parents to write into. */
  typeItems: ItemId[];
  maxMessageBytes: number;
}

export interface GeneratedFrame {
  kind: string;
  data: Uint8Array | string;
  /** Send as this many WebSocket fragments. */
  fragments?: number;
}

type Frame = Omit<GeneratedFrame, 'kind'>;

const CLOCKS = [MAX_CLOCK, MAX_CLOCK, 2 ** 53, 2 ** 32, 2 ** 31, 1, 0];

function hugeClock(r: Random): number {
  return r.chance(0.5) ? r.pick(CLOCKS) : r.int(2 ** 31, MAX_CLOCK);
}

function newClient(r: Random): number {
  return r.int(1, 2 ** 31);
}

function parentFor(ctx: FrameContext, key: string): ItemParent {
  const r = ctx.random;
  switch (r.int(0, 3)) {
    case 0:
      return { root: 'meta', key };
    case 1:
      return { root: 'fuzz' };
    default: {
      const item = r.pick(ctx.typeItems);
      return r.chance(0.5) ? { ...item } : { ...item, key };
    }
  }
}

/** JSON nested deep enough that encoding it again overflows the stack, sometimes only just. */
function deepJsonDepth(r: Random): number {
  return r.pick([r.int(2_000, 8_000), r.int(15_000, 30_000), r.int(30_000, 100_000)]);
}

function deepContent(ctx: FrameContext, content: ItemContent): Frame {
  const r = ctx.random;
  const update = itemUpdate({ client: newClient(r), clock: 0, parent: parentFor(ctx, `deep-${r.int(0, 9)}`), content });
  return { data: syncFrame(SyncType.Update, update) };
}

const deepShape = (r: Random) => (r.chance(0.8) ? 'array' : 'object');

function hugeClockUpdate(ctx: FrameContext): Frame {
  const r = ctx.random;
  const client = r.chance(0.3) ? ctx.corpus.clientId : newClient(r);
  const updates = [
    () =>
      itemUpdate({ client, clock: hugeClock(r), parent: parentFor(ctx, 'clock'), content: { ref: 4, text: 'late' } }),
    () => itemUpdate({ client, clock: 0, parent: parentFor(ctx, 'clock'), content: { ref: 1, length: hugeClock(r) } }),
    () => gcUpdate(client, r.chance(0.5) ? 0 : hugeClock(r), hugeClock(r)),
    () => deleteSetUpdate([[client, hugeClock(r), hugeClock(r)]]),
    () => deleteSetUpdate([[ctx.corpus.clientId, 0, hugeClock(r)]]),
  ];
  return { data: syncFrame(r.pick([SyncType.Update, SyncType.Step2]), r.pick(updates)()) };
}

function ownAwareness(ctx: FrameContext, json: string): AwarenessEntry {
  ctx.own.clock++;
  return { clientId: ctx.own.clientId, clock: ctx.own.clock, json };
}

function foreignAwareness(ctx: FrameContext, json: string): AwarenessEntry {
  const r = ctx.random;
  const ids = ctx.foreignIds();
  return { clientId: ids.length > 0 ? r.pick(ids) : newClient(r), clock: hugeClock(r), json };
}

function presence(r: Random): string {
  return JSON.stringify({ user: { name: r.pick(['fuzz', 'mallory', '']), color: '#f00' }, cursor: r.int(0, 1e6) });
}

function garbageStateVector(ctx: FrameContext): Uint8Array {
  const r = ctx.random;
  switch (r.int(1, 4)) {
    case 1:
      return r.bytes(r.int(0, 64));
    case 2:
      return stateVector([...ctx.foreignIds(), ctx.corpus.clientId].map((id) => [id, hugeClock(r)]));
    case 3:
      return stateVector(Array.from({ length: r.int(1_000, 20_000) }, () => [newClient(r), r.int(0, 1e6)]));
    default:
      return mutate(r, stateVector([[ctx.corpus.clientId, r.int(0, 100)]]), r.bytes(8));
  }
}

function badSavedQuery(r: Random): Uint8Array {
  const type = [MessageType.SavedQuery];
  return r.pick([
    () => new Uint8Array(type),
    () => new Uint8Array([...type, 0x80]),
    () => new Uint8Array([...type, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    () => concat(new Uint8Array(type), r.bytes(r.int(1, 12))),
  ])();
}

function unknownType(r: Random): Uint8Array {
  const type = r.pick([r.int(4, 99), r.int(101, 300), 2 ** 31, MAX_CLOCK]);
  if (r.chance(0.3)) return concat(varUints(MessageType.Sync, r.int(3, 300)), r.bytes(r.int(0, 32)));
  return concat(varUints(type), r.bytes(r.int(0, 32)));
}

function truncatedVarint(r: Random): Uint8Array {
  const prefix = r.pick([[], [MessageType.Sync], [MessageType.Sync, SyncType.Update], [MessageType.Awareness]]);
  return new Uint8Array([...prefix, ...Array.from({ length: r.int(1, 10) }, () => r.int(0x80, 0xff))]);
}

function oversized(ctx: FrameContext): Frame {
  const r = ctx.random;
  const over = ctx.maxMessageBytes + r.int(1, 64 * 1024);
  if (r.chance(0.5)) return { data: new Uint8Array(over).fill(r.int(0, 255)) };
  const text = 'x'.repeat(over);
  const update = itemUpdate({ client: newClient(r), clock: 0, parent: { root: 'fuzz' }, content: { ref: 4, text } });
  return { data: syncFrame(SyncType.Update, update) };
}

const updateType = (r: Random) => (r.chance(0.8) ? SyncType.Update : SyncType.Step2);

type Kinds = Record<string, [weight: number, make: (ctx: FrameContext) => Frame]>;

/** Frames a correct client may send: the server must take them without closing the connection. */
const WELL_FORMED: Kinds = {
  update: [10, ({ random: r, corpus }) => ({ data: syncFrame(updateType(r), corpus.next()) })],
  'update-missing-deps': [3, ({ corpus }) => ({ data: syncFrame(SyncType.Update, corpus.skipAhead()) })],
  fragmented: [
    1,
    ({ random: r, corpus }) => ({ data: syncFrame(SyncType.Update, corpus.next()), fragments: r.int(2, 4) }),
  ],
  'sync-step1': [
    1,
    ({ random: r, corpus }) => ({
      data: syncFrame(SyncType.Step1, r.chance(0.5) ? stateVector([]) : corpus.stateVector()),
    }),
  ],
  awareness: [5, (ctx) => ({ data: awarenessFrame([ownAwareness(ctx, presence(ctx.random))]) })],
  'awareness-leave': [1, (ctx) => ({ data: awarenessFrame([ownAwareness(ctx, 'null')]) })],
  'query-awareness': [1, () => ({ data: new Uint8Array([MessageType.QueryAwareness]) })],
  'saved-query': [3, ({ random: r }) => ({ data: savedQueryFrame(r.int(0, 2 ** 32)) })],
};

/** Frames the server may refuse, which must cost nothing but the connection that sent them. */
const HOSTILE: Kinds = {
  'random-bytes': [8, ({ random: r }) => ({ data: r.bytes(r.chance(0.9) ? r.int(1, 64) : r.int(65, 4096)) })],
  'truncated-varint': [4, ({ random: r }) => ({ data: truncatedVarint(r) })],
  empty: [1, () => ({ data: new Uint8Array(0) })],
  'update-mutated': [
    14,
    ({ random: r, corpus }) => ({ data: syncFrame(updateType(r), mutate(r, corpus.sample(), corpus.sample())) }),
  ],
  'frame-mutated': [
    5,
    ({ random: r, corpus }) => ({ data: mutate(r, syncFrame(SyncType.Update, corpus.sample()), corpus.sample()) }),
  ],
  concatenated: [
    1,
    ({ corpus }) => ({
      data: concat(syncFrame(SyncType.Update, corpus.next()), syncFrame(SyncType.Update, corpus.next())),
    }),
  ],
  'deep-json': [
    1,
    (ctx) => deepContent(ctx, { ref: 2, values: [deepJson(deepJsonDepth(ctx.random), deepShape(ctx.random))] }),
  ],
  'deep-embed': [
    1,
    (ctx) => deepContent(ctx, { ref: 5, json: deepJson(deepJsonDepth(ctx.random), deepShape(ctx.random)) }),
  ],
  'deep-format': [
    1,
    (ctx) =>
      deepContent(ctx, {
        ref: 6,
        key: ctx.random.pick(['bold', 'link', 'x']),
        json: deepJson(deepJsonDepth(ctx.random), deepShape(ctx.random)),
      }),
  ],
  'deep-any': [1, (ctx) => deepContent(ctx, { ref: 8, values: [deepAny(ctx.random.int(1_000, 30_000))] })],
  'huge-clock': [3, hugeClockUpdate],
  'awareness-foreign': [
    4,
    (ctx) => ({
      data: awarenessFrame([
        ...(ctx.random.chance(0.5) ? [ownAwareness(ctx, presence(ctx.random))] : []),
        foreignAwareness(ctx, ctx.random.chance(0.7) ? presence(ctx.random) : 'null'),
      ]),
    }),
  ],
  'awareness-deep': [
    2,
    (ctx) => {
      const json = deepJson(ctx.random.int(15_000, 60_000), deepShape(ctx.random));
      return { data: awarenessFrame([ctx.random.chance(0.7) ? ownAwareness(ctx, json) : foreignAwareness(ctx, json)]) };
    },
  ],
  'awareness-oversized': [
    0.5,
    (ctx) => {
      const json = JSON.stringify({ user: { name: 'x'.repeat(ctx.random.int(50_000, ctx.maxMessageBytes - 64)) } });
      return { data: awarenessFrame([ownAwareness(ctx, json)]) };
    },
  ],
  'awareness-garbage': [
    3,
    (ctx) => {
      const r = ctx.random;
      const valid = awarenessFrame([ownAwareness(ctx, presence(r))]);
      const bad = r.pick([
        () => mutate(r, valid, r.bytes(8)),
        () => awarenessFrame([ownAwareness(ctx, r.pick(['{', 'undefined', '', '\u0000', '[1,]', '"\\ud800"']))]),
        () => concat(varUints(MessageType.Awareness, 12), r.bytes(4)),
      ])();
      return { data: bad };
    },
  ],
  'sync-step1-garbage': [2, (ctx) => ({ data: syncFrame(SyncType.Step1, garbageStateVector(ctx)) })],
  'unknown-type': [3, ({ random: r }) => ({ data: unknownType(r) })],
  'saved-query-bad': [2, ({ random: r }) => ({ data: badSavedQuery(r) })],
  auth: [1, ({ random: r }) => ({ data: concat(varUints(MessageType.Auth), r.bytes(r.int(0, 16))) })],
  oversized: [1, oversized],
  'text-frame': [
    1,
    ({ random: r }) => ({ data: r.pick(['', '\u0000\u0001', '{"type":"sync"}', String.fromCharCode(...r.bytes(24))]) }),
  ],
};

export const FRAME_KINDS: readonly string[] = [...Object.keys(WELL_FORMED), ...Object.keys(HOSTILE)];

export interface FrameGenerator {
  wellFormed(ctx: FrameContext): GeneratedFrame;
  hostile(ctx: FrameContext): GeneratedFrame;
}

function pickFrom(kinds: Kinds, skip: ReadonlySet<string>): (ctx: FrameContext) => GeneratedFrame {
  const entries = Object.entries(kinds)
    .filter(([kind]) => !skip.has(kind))
    .map(([kind, [weight, make]]) => [weight, { kind, make }] as const);
  if (entries.length === 0) return () => ({ kind: 'none', data: new Uint8Array([MessageType.QueryAwareness]) });
  return (ctx) => {
    const { kind, make } = ctx.random.weighted(entries);
    return { kind, ...make(ctx) };
  };
}

/** Generators of frames of every kind but those in `skip` (to look past a known failure). */
export function frameGenerator(skip: ReadonlySet<string>): FrameGenerator {
  return { wellFormed: pickFrom(WELL_FORMED, skip), hostile: pickFrom(HOSTILE, skip) };
}
