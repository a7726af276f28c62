/**
 * A load-generator process. It holds real clients — the stock `y-websocket` provider (for Debrief
 * and the reference server) or `@hocuspocus/provider` — and does what the harness asks over IPC:
 * connect, type, move carets, build or open documents, and report what every client sent and saw.
 * Every loop is bounded in count and time; the process exits when the harness disconnects.
 */
import { getSections, initBriefing } from '@debrief/briefing';
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type {
  BuildResult,
  ClientSpec,
  Clocks,
  CollectResult,
  ConnectResult,
  JoinResult,
  Request,
  Target,
  TypeResult,
  WaitResult,
} from '../lib/protocol.ts';
import type { ObserverRecord, SenderRecord } from '../lib/stats.ts';
import { now, rng, sleep, until } from '../lib/time.ts';
import { appendProse, caretAt, Typist } from '../lib/typing.ts';

interface Client {
  spec: ClientSpec;
  doc: Y.Doc;
  awareness: Awareness | null;
  synced: Promise<void>;
  isSynced: () => boolean;
  /** Flattened [clock, time] of own edits. */
  sent: number[];
  /** Per remote client id: flattened [clock, time] when this client's state for it advanced. */
  seen: Map<number, number[]>;
  /** Own caret moves: flattened [seq, time]. */
  moves: number[];
  /** Per remote awareness id: flattened [seq, time] when its caret move arrived. */
  carets: Map<number, number[]>;
  disconnects: number;
  typist?: Typist;
  bufferedAmount(): number;
  destroy(): void;
}

process.setMaxListeners(0); // y-websocket adds a process 'exit' listener per provider
const clients = new Map<string, Client>();
const COLORS = ['#d7263d', '#1b998b', '#2e294e', '#f46036', '#c5d86d', '#3f88c5'];

function push(map: Map<number, number[]>, id: number, a: number, b: number): void {
  let list = map.get(id);
  if (!list) {
    list = [];
    map.set(id, list);
  }
  list.push(a, b);
}

function createClient(target: Target, spec: ClientSpec): Client {
  const doc = new Y.Doc();
  let awareness: Awareness | null;
  let destroyProvider: () => void;
  let isSynced: () => boolean;
  let bufferedAmount: () => number;
  let onceSynced: (resolve: () => void) => void;
  const client = { disconnects: 0 } as Client;
  if (target.protocol === 'y-websocket') {
    const provider = new WebsocketProvider(target.wsUrl, spec.room, doc, {
      // biome-ignore lint/suspicious/noExplicitAny: ws implements the WebSocket surface the provider uses
      WebSocketPolyfill: WebSocket as any,
      // Several providers share this process: they must not sync around the server.
      disableBc: true,
      params: target.params ?? {},
    });
    awareness = provider.awareness;
    provider.on('connection-close', () => {
      client.disconnects++;
    });
    isSynced = () => provider.synced;
    onceSynced = (resolve) => {
      if (provider.synced) resolve();
      else provider.on('sync', (state: boolean) => state && resolve());
    };
    bufferedAmount = () => (provider.ws as unknown as { bufferedAmount?: number } | null)?.bufferedAmount ?? 0;
    destroyProvider = () => provider.destroy();
  } else {
    const provider = new HocuspocusProvider({
      url: target.wsUrl,
      name: spec.room,
      document: doc,
      // Passed on to the provider's own HocuspocusProviderWebsocket (Node 20 has no global WebSocket).
      WebSocketPolyfill: WebSocket,
    } as ConstructorParameters<typeof HocuspocusProvider>[0]);
    awareness = provider.awareness;
    provider.on('close', () => {
      client.disconnects++;
    });
    isSynced = () => provider.isSynced;
    onceSynced = (resolve) => {
      if (provider.isSynced) resolve();
      else provider.on('synced', () => resolve());
    };
    bufferedAmount = () =>
      (provider.configuration.websocketProvider.webSocket as unknown as { bufferedAmount?: number } | null)
        ?.bufferedAmount ?? 0;
    destroyProvider = () => provider.destroy();
  }
  if (awareness) {
    if (spec.awareness) {
      const n = Number(spec.key.replace(/\D+/g, '')) || 0;
      awareness.setLocalState({ user: { name: `Editor ${spec.key}`, color: COLORS[n % COLORS.length] } });
    } else {
      awareness.setLocalState(null);
    }
  }
  Object.assign(client, {
    spec,
    doc,
    awareness,
    synced: new Promise<void>((resolve) => onceSynced(resolve)),
    isSynced,
    sent: [],
    seen: new Map(),
    moves: [],
    carets: new Map(),
    bufferedAmount,
    destroy() {
      destroyProvider();
      doc.destroy();
    },
  });
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (transaction.local) return;
    const at = now();
    transaction.afterState.forEach((clock, id) => {
      if (transaction.beforeState.get(id) !== clock) push(client.seen, id, clock, at);
    });
  });
  awareness?.on('change', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
    if (origin === 'local') return;
    const at = now();
    const states = awareness.getStates();
    for (const id of [...added, ...updated]) {
      if (id === doc.clientID) continue;
      const seq = (states.get(id) as { seq?: number } | undefined)?.seq;
      if (typeof seq === 'number') push(client.carets, id, seq, at);
    }
  });
  return client;
}

const hasSections = (client: Client) => getSections(client.doc).length > 0;

function selected(keys?: string[]): Client[] {
  if (!keys) return [...clients.values()];
  return keys.map((key) => {
    const client = clients.get(key);
    if (!client) throw new Error(`no client ${key}`);
    return client;
  });
}

async function connect(target: Target, specs: ClientSpec[], timeoutMs: number): Promise<ConnectResult> {
  const created: Client[] = [];
  // Batches of 50 every 50 ms: a crowd arriving over a second or two, not one SYN flood.
  for (let i = 0; i < specs.length; i += 50) {
    for (const spec of specs.slice(i, i + 50)) {
      const client = createClient(target, spec);
      clients.set(spec.key, client);
      created.push(client);
    }
    if (i + 50 < specs.length) await sleep(50);
  }
  await until(() => created.every((c) => c.isSynced() && hasSections(c)), timeoutMs, 25);
  const failed = created.filter((c) => !(c.isSynced() && hasSections(c))).map((c) => c.spec.key);
  return { ready: created.length - failed.length, failed };
}

/** Gives rooms on a peer server the briefing layout Debrief creates server-side. */
async function seed(target: Target, rooms: string[], timeoutMs: number): Promise<ConnectResult> {
  const failed: string[] = [];
  await Promise.all(
    rooms.map(async (room, i) => {
      const writer = createClient(target, { key: `seed-w${i}`, room, awareness: false });
      const reader = createClient(target, { key: `seed-r${i}`, room, awareness: false });
      try {
        const synced = await Promise.race([writer.synced.then(() => true), sleep(timeoutMs).then(() => false)]);
        if (synced && !hasSections(writer)) initBriefing(writer.doc, { title: `Bench briefing ${i + 1}` });
        if (!(await until(() => hasSections(reader), timeoutMs))) failed.push(room);
      } finally {
        writer.destroy();
        reader.destroy();
      }
    }),
  );
  return { ready: rooms.length - failed.length, failed };
}

async function type(keys: string[], startAt: number, durationMs: number, rate: number, maxEdits?: number) {
  const typing = selected(keys);
  const interval = 1000 / rate;
  const planned = Math.min(maxEdits ?? Number.POSITIVE_INFINITY, Math.floor((durationMs / 1000) * rate));
  const deadline = startAt + durationMs + 5_000;
  await Promise.all(
    typing.map(async (client, i) => {
      client.typist ??= new Typist(client.doc, client.spec.section ?? 0, rng(client.spec.seed ?? i + 1));
      const offset = (i / Math.max(1, typing.length)) * interval;
      for (let k = 0; k < planned; k++) {
        const due = startAt + offset + k * interval;
        const wait = due - now();
        if (wait > 0) await sleep(wait);
        if (now() > deadline) break;
        const at = now();
        client.typist.step();
        client.sent.push(Y.getState(client.doc.store, client.doc.clientID), at);
      }
    }),
  );
  const result: TypeResult = {
    clients: typing.map((c) => ({
      key: c.spec.key,
      room: c.spec.room,
      clientId: c.doc.clientID,
      clock: Y.getState(c.doc.store, c.doc.clientID),
      edits: c.sent.length / 2,
    })),
  };
  return result;
}

async function presence(keys: string[], startAt: number, durationMs: number, hz: number): Promise<number> {
  const moving = selected(keys);
  const interval = 1000 / hz;
  const moves = Math.floor((durationMs / 1000) * hz);
  let total = 0;
  await Promise.all(
    moving.map(async (client, i) => {
      const awareness = client.awareness;
      if (!awareness) return;
      const random = rng(client.spec.seed ?? i + 1);
      const offset = random() * interval;
      for (let seq = 1; seq <= moves; seq++) {
        const wait = startAt + offset + (seq - 1) * interval - now();
        if (wait > 0) await sleep(wait);
        if (now() > startAt + durationMs + 5_000) break;
        const at = now();
        awareness.setLocalState({
          ...(awareness.getLocalState() ?? {}),
          cursor: caretAt(client.doc, Math.floor(random() * 5), Math.floor(random() * 20)),
          seq,
        });
        client.moves.push(seq, at);
        total++;
      }
    }),
  );
  return total;
}

async function build(key: string, bytes: number, chunkBytes: number, timeoutMs: number): Promise<BuildResult> {
  const client = selected([key])[0] as Client;
  const random = rng(7);
  const deadline = now() + timeoutMs;
  let size = Y.encodeStateAsUpdate(client.doc).length;
  while (size < bytes && now() < deadline) {
    // ~850 bytes per paragraph once encoded.
    const paragraphs = Math.max(1, Math.ceil(Math.min(chunkBytes, bytes - size) / 850));
    appendProse(client.doc, paragraphs, random);
    size = Y.encodeStateAsUpdate(client.doc).length;
    await until(() => client.bufferedAmount() === 0, 10_000, 5);
  }
  return { clientId: client.doc.clientID, clock: Y.getState(client.doc.store, client.doc.clientID), bytes: size };
}

const reached = (doc: Y.Doc, clocks: Clocks) =>
  Object.entries(clocks).every(([id, clock]) => Y.getState(doc.store, Number(id)) >= clock);

async function waitFor(keys: string[], clocks: Record<string, Clocks>, timeoutMs: number): Promise<WaitResult> {
  const waiting = selected(keys);
  const done = (c: Client) => reached(c.doc, clocks[c.spec.room] ?? {});
  await until(() => waiting.every(done), timeoutMs, 10);
  return { ok: waiting.every(done), missing: waiting.filter((c) => !done(c)).map((c) => c.spec.key) };
}

async function join(
  target: Target,
  specs: ClientSpec[],
  startAt: number,
  clocks: Clocks,
  timeoutMs: number,
  keep: boolean,
): Promise<JoinResult> {
  const wait = startAt - now();
  if (wait > 0) await sleep(wait);
  const started: number[] = [];
  const doneAt: number[] = specs.map(() => Number.NaN);
  const reachedAt: (Clocks | null)[] = specs.map(() => null);
  let firstBytes = 0;
  const joiners = specs.map((spec, i) => {
    started.push(now());
    const client = createClient(target, spec);
    const check = () => {
      if (!Number.isNaN(doneAt[i]) || !reached(client.doc, clocks)) return;
      doneAt[i] = now();
      reachedAt[i] = Object.fromEntries(
        Object.keys(clocks).map((id) => [id, Y.getState(client.doc.store, Number(id))]),
      );
      if (i === 0) firstBytes = Y.encodeStateAsUpdate(client.doc).length;
      // A hundred copies of a 5 MB document do not fit one process: let go of each once it is complete.
      if (!keep) setImmediate(() => client.destroy());
    };
    client.doc.on('afterTransaction', check);
    check();
    return client;
  });
  await until(() => doneAt.every((t) => !Number.isNaN(t)), timeoutMs, 10);
  const result: JoinResult = {
    ms: doneAt.map((t, i) => t - (started[i] as number)),
    doneAt,
    reached: joiners.map(
      (c, i) =>
        reachedAt[i] ?? Object.fromEntries(Object.keys(clocks).map((id) => [id, Y.getState(c.doc.store, Number(id))])),
    ),
    bytes: firstBytes || (joiners[0] ? Y.encodeStateAsUpdate(joiners[0].doc).length : 0),
  };
  for (const [i, client] of joiners.entries()) {
    if (keep) clients.set(client.spec.key, client);
    else if (Number.isNaN(doneAt[i])) client.destroy();
  }
  return result;
}

function collect(keys?: string[]): CollectResult {
  const result: CollectResult = {
    senders: [],
    observers: [],
    presenceSenders: [],
    presenceObservers: [],
    disconnects: 0,
  };
  for (const client of selected(keys)) {
    const { room } = client.spec;
    const clientId = client.doc.clientID;
    if (client.sent.length > 0) result.senders.push({ room, clientId, sent: client.sent } satisfies SenderRecord);
    result.observers.push({ room, clientId, seen: Object.fromEntries(client.seen) } satisfies ObserverRecord);
    if (client.moves.length > 0) result.presenceSenders.push({ room, clientId, sent: client.moves });
    result.presenceObservers.push({ room, clientId, seen: Object.fromEntries(client.carets) });
    result.disconnects += client.disconnects;
    client.sent = [];
    client.seen = new Map();
    client.moves = [];
    client.carets = new Map();
    client.disconnects = 0;
  }
  return result;
}

function destroy(keys?: string[]): number {
  const going = selected(keys);
  for (const client of going) {
    client.destroy();
    clients.delete(client.spec.key);
  }
  return going.length;
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'seed':
      return seed(request.target, request.rooms, request.timeoutMs);
    case 'connect':
      return connect(request.target, request.clients, request.timeoutMs);
    case 'type':
      return type(request.keys, request.startAt, request.durationMs, request.rate, request.maxEdits);
    case 'presence':
      return presence(request.keys, request.startAt, request.durationMs, request.hz);
    case 'build':
      return build(request.key, request.bytes, request.chunkBytes, request.timeoutMs);
    case 'waitFor':
      return waitFor(request.keys, request.clocks, request.timeoutMs);
    case 'join':
      return join(request.target, request.clients, request.startAt, request.clocks, request.timeoutMs, request.keep);
    case 'collect':
      return collect(request.keys);
    case 'destroy':
      return destroy(request.keys);
    case 'exit':
      destroy();
      setTimeout(() => process.exit(0), 50);
      return true;
  }
}

if (!process.send) {
  console.error('the load generator is started by the bench harness (tests/bench/run.ts)');
  process.exit(2);
}
process.on('message', (message: { id: number; request: Request }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, ok: true, result }),
    (error: Error) => process.send?.({ id: message.id, ok: false, error: error.stack ?? String(error) }),
  );
});
process.once('disconnect', () => {
  destroy();
  process.exit(0);
});
process.send({ ready: true });
