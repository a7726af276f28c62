import net from 'node:net';
import { MessageType } from '@debrief/briefing';
import { tokenFor } from '@debrief/server/testing';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import type { EditCorpus } from './EditCorpus.ts';
import type { FrameContext, FrameGenerator, GeneratedFrame, ItemId } from './frameGenerator.ts';
import { awarenessFrame, SyncType, savedQueryFrame, stateVector, syncFrame } from './frames.ts';
import type { Random } from './seed.ts';
import type { WatchedServer } from './WatchedServer.ts';

/** What the fuzz sent and how the server answered. */
export class FuzzStats {
  /** Frames made by the generator (the fuzz proper). */
  frames = 0;
  /** Frames of floods and connection swarms, and the probes between batches. */
  extraFrames = 0;
  connections = 0;
  probeTimeouts = 0;
  readonly kinds = new Map<string, number>();
  /** Close codes the fuzz connections saw, and outcomes of connections that never opened. */
  readonly outcomes = new Map<string, number>();

  count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  static format(map: Map<string, number>): string {
    return [...map]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${key}:${n}`)
      .join(' ');
  }
}

export interface FuzzTarget {
  server: WatchedServer;
  watchedId: string;
  otherId: string;
  stats: FuzzStats;
  maxMessageBytes: number;
  burstMessages: number;
  /** Awareness ids of the stock clients; never a fuzz connection's to set. */
  stockIds: number[];
  /** Awareness ids the open fuzz connections use as their own. */
  activeIds: Set<number>;
  typeItems: ItemId[];
  frames: FrameGenerator;
  /** Connection-level actions left out (`flood`, `swarm`, `raw-upgrade`, `stall`). */
  skip: ReadonlySet<string>;
  shouldStop(): boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fuzz connection's socket: sends frames, and probes with a saved query whether it still stands. */
class FuzzSocket {
  readonly closed: Promise<void>;
  private answered = new Set<number>();
  private waiting: ((outcome: 'answered' | 'closed') => void) | null = null;
  private sequence = 0;

  constructor(
    readonly ws: WebSocket,
    stats: FuzzStats,
  ) {
    // A socket error is followed by 'close', which is what counts.
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => {
      if (data[0] !== MessageType.SavedQuery) return;
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      decoding.readVarUint(decoder);
      this.answered.add(decoding.readVarUint(decoder));
      if (this.answered.has(this.sequence)) this.waiting?.('answered');
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code) => {
        stats.count(stats.outcomes, String(code));
        this.waiting?.('closed');
        resolve();
      }),
    );
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: GeneratedFrame): void {
    const { data, fragments = 1 } = frame;
    if (fragments === 1 || typeof data === 'string') {
      this.ws.send(data);
      return;
    }
    const size = Math.ceil(data.length / fragments);
    for (let at = 0; at < data.length; at += size) {
      this.ws.send(data.subarray(at, at + size), { fin: at + size >= data.length });
    }
  }

  /** Sends a saved query and waits for its echo: 'answered' means every frame before it was read. */
  probe(timeoutMs: number): Promise<'answered' | 'closed' | 'timeout'> {
    if (!this.open) return Promise.resolve('closed');
    this.sequence++;
    this.ws.send(savedQueryFrame(this.sequence));
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      const finish = (outcome: 'answered' | 'closed' | 'timeout') => {
        clearTimeout(timer);
        this.waiting = null;
        resolve(outcome);
      };
      this.waiting = finish;
    });
  }
}

function connect(target: FuzzTarget, path: string): Promise<FuzzSocket | null> {
  const { stats } = target;
  stats.connections++;
  const ws = new WebSocket(`${target.server.url.replace('http', 'ws')}${path}`, { perMessageDeflate: false });
  return new Promise((resolve) => {
    let settled = false;
    const fail = (outcome: string) => {
      if (settled) return;
      settled = true;
      stats.count(stats.outcomes, outcome);
      ws.terminate();
      resolve(null);
    };
    ws.once('unexpected-response', (_request, response) => fail(`http ${response.statusCode}`));
    ws.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'error'));
    ws.once('open', () => {
      settled = true;
      resolve(new FuzzSocket(ws, stats));
    });
  });
}

/** `/collab/…` paths a stock client could ask for, most of them for the watched briefing. */
function sessionPath(target: FuzzTarget, r: Random): string {
  const id = target.watchedId;
  const path = r.weighted<() => string>([
    [70, () => id],
    [6, () => id.toUpperCase()],
    [2, () => id.replace(/[a-f]/g, (c) => (r.chance(0.5) ? c.toUpperCase() : c))],
    [8, () => target.otherId],
    [1, () => target.otherId.toUpperCase()],
    [3, () => globalThis.crypto.randomUUID()],
    [2, () => `${id}/`],
    [1, () => `${id}?token=${r.int(0, 1e9)}&x=%`],
    [2, () => id.replace(/[a-f]/, (c) => `%${c.charCodeAt(0).toString(16)}`)],
  ]);
  const chosen = path();
  // Signed in as a stock client is, most of the time, so the frames reach the document; the rest
  // knock on the door without credentials.
  const token = tokenFor(target.server.url);
  return chosen.includes('?') || !token || r.chance(0.05) ? `/collab/${chosen}` : `/collab/${chosen}?token=${token}`;
}

/** Request targets only a hand-written HTTP request sends as is. */
function rawPath(target: FuzzTarget, r: Random): string {
  const id = target.watchedId;
  return r.pick([
    () => '/collab/%',
    () => '/collab/%E0%A4%A',
    () => '/collab/%ZZ',
    () => '/collab/%C0%AF',
    () => `/collab/${'a'.repeat(r.int(37, 12_000))}`,
    () => '/collab/..',
    () => `/collab/../collab/${id}`,
    () => '/collab/%2e%2e',
    () => `/collab/${id}%00`,
    () => '//',
    () => '/\\[',
    () => `/collab//${id}`,
    () => `/collab/${id}/extra`,
    () => '/collab/',
    () => '*',
    () => `http://elsewhere.example/collab/${id}`,
    () => `/collab/${id.toUpperCase()}`,
  ])();
}

/** A WebSocket upgrade written by hand: any request target, sometimes a broken handshake. */
async function rawUpgrade(target: FuzzTarget, r: Random): Promise<void> {
  const { stats } = target;
  stats.connections++;
  const key = r.chance(0.9) ? 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' : '';
  const version = r.chance(0.9) ? '13' : '8';
  const request = `GET ${rawPath(target, r)} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${key}Sec-WebSocket-Version: ${version}\r\n\r\n`;
  const outcome = await new Promise<string>((resolve) => {
    const socket = net.connect(target.server.port, '127.0.0.1', () => socket.write(request));
    let head = '';
    let answered = false;
    const timer = setTimeout(() => done('no answer'), 3_000);
    const done = (result: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      if (!status || answered) return;
      answered = true;
      if (status !== '101') return done(`http ${status}`);
      // Past the handshake: bytes that are no WebSocket framing at all.
      socket.write(r.bytes(r.int(1, 64)));
      setTimeout(() => done('http 101'), 50);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    socket.on('close', () => done(head ? 'closed' : 'reset'));
  });
  stats.count(stats.outcomes, outcome);
}

function frameContext(target: FuzzTarget, r: Random, corpus: EditCorpus, clientId: number): FrameContext {
  return {
    random: r,
    corpus,
    own: { clientId, clock: 0 },
    foreignIds: () => [...target.stockIds, ...[...target.activeIds].filter((id) => id !== clientId)],
    typeItems: target.typeItems,
    maxMessageBytes: target.maxMessageBytes,
  };
}

/** One connection: batches of generated frames, each followed by a probe, until the server closes it. */
async function session(target: FuzzTarget, r: Random, corpus: EditCorpus): Promise<void> {
  const socket = await connect(target, sessionPath(target, r));
  if (!socket) return;
  const clientId = r.int(1, 2 ** 31);
  target.activeIds.add(clientId);
  const ctx = frameContext(target, r, corpus, clientId);
  try {
    const rounds = r.int(3, 150);
    for (let round = 0; round < rounds && socket.open && !target.shouldStop(); round++) {
      // What a correct client could send, then at most one frame the server may refuse: so the
      // frames counted are frames the server read, not ones it dropped behind a close.
      const batch = Array.from({ length: r.int(0, 5) }, () => target.frames.wellFormed(ctx));
      if (r.chance(0.85)) batch.push(target.frames.hostile(ctx));
      for (const frame of batch) {
        if (!socket.open) break;
        socket.send(frame);
        target.stats.frames++;
        target.stats.count(target.stats.kinds, frame.kind);
      }
      target.stats.extraFrames++;
      const outcome = await socket.probe(5_000);
      if (outcome === 'timeout') target.stats.probeTimeouts++;
      if (outcome !== 'answered') break;
    }
    if (r.chance(0.8)) socket.ws.close(1000);
    else socket.ws.terminate();
    await socket.closed;
  } finally {
    target.activeIds.delete(clientId);
  }
}

/**
 * More messages at once than the rate limit's burst allows. Mostly saved queries: awareness
 * updates are broadcast, and every stock client echoes each one back, so a flood of them gets the
 * stock clients rate-limited as well (a finding of its own, not what this run is about).
 */
async function flood(target: FuzzTarget, r: Random, corpus: EditCorpus): Promise<void> {
  const socket = await connect(target, `/collab/${target.watchedId}`);
  if (!socket) return;
  const ctx = frameContext(target, r, corpus, r.int(1, 2 ** 31));
  const count = target.burstMessages + r.int(100, 600);
  for (let n = 0; n < count && socket.open; n++) {
    ctx.own.clock++;
    socket.ws.send(
      r.chance(0.05)
        ? awarenessFrame([{ clientId: ctx.own.clientId, clock: ctx.own.clock, json: `{"n":${n}}` }])
        : savedQueryFrame(n),
    );
    target.stats.extraFrames++;
  }
  await Promise.race([socket.closed, sleep(2_000)]);
  socket.ws.terminate();
  await socket.closed;
}

/** Many connections opening and going at once, some before their handshake finished. */
async function swarm(target: FuzzTarget, r: Random): Promise<void> {
  const sockets = Array.from({ length: r.int(10, 30) }, () => {
    target.stats.connections++;
    const path = r.chance(0.8) ? target.watchedId : r.pick([target.otherId, target.watchedId.toUpperCase()]);
    const ws = new WebSocket(
      `${target.server.url.replace('http', 'ws')}/collab/${path}?token=${tokenFor(target.server.url) ?? ''}`,
    );
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('error', () => {});
    ws.once('open', () => {
      ws.send(syncFrame(SyncType.Step1, stateVector([])));
      ws.send(awarenessFrame([{ clientId: r.int(1, 2 ** 31), clock: 1, json: '{"swarm":true}' }]));
      target.stats.extraFrames += 2;
    });
    if (r.chance(0.2)) ws.terminate();
    return { ws, closed };
  });
  await sleep(r.int(20, 400));
  for (const { ws } of sockets) {
    if (r.chance(0.5)) ws.terminate();
    else if (ws.readyState === WebSocket.OPEN) ws.close(1000);
    else ws.terminate();
  }
  await Promise.race([Promise.all(sockets.map((s) => s.closed)), sleep(3_000)]);
}

/** A client that stops reading while the others keep the server broadcasting to it. */
async function stall(target: FuzzTarget, r: Random): Promise<void> {
  const socket = await connect(target, `/collab/${target.watchedId}`);
  if (!socket) return;
  socket.ws.pause();
  await Promise.race([socket.closed, sleep(r.int(300, 1_500))]);
  socket.ws.terminate();
  await socket.closed;
}

/** How often a worker does what, per thousand: almost always a fuzz session; floods and swarms are costly. */
const ACTIONS = [
  [970, 'session'],
  [22, 'raw-upgrade'],
  [3, 'flood'],
  [3, 'swarm'],
  [2, 'stall'],
] as const;

/** Runs one fuzz worker until `target.shouldStop()`, reconnecting whenever the server closes it. */
export async function runFuzzWorker(target: FuzzTarget, r: Random, corpus: EditCorpus): Promise<void> {
  while (!target.shouldStop()) {
    await target.server.ready();
    if (target.server.exhausted) return;
    if (!target.server.alive) {
      await sleep(50);
      continue;
    }
    const action = r.weighted(ACTIONS.filter(([, name]) => !target.skip.has(name)));
    if (action === 'flood') await flood(target, r, corpus);
    else if (action === 'swarm') await swarm(target, r);
    else if (action === 'raw-upgrade') await rawUpgrade(target, r);
    else if (action === 'stall') await stall(target, r);
    else await session(target, r, corpus);
  }
}
