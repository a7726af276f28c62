import { CloseCode, FINAL_CLOSE_CODES, getSections, getTitle } from '@debrief/briefing';
import { type Client, connectClient, createBriefing, tempDataDir, waitFor } from '@debrief/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EditCorpus } from './EditCorpus.ts';
import { frameGenerator } from './frameGenerator.ts';
import { FuzzStats, type FuzzTarget, runFuzzWorker } from './fuzzWorker.ts';
import { createRandom, fuzzSeed } from './seed.ts';
import { WatchedServer } from './WatchedServer.ts';
import { bodyStrings, Witness } from './Witness.ts';

/**
 * The collaboration server against hostile input, in its own process: fuzz connections send
 * generated and mutated frames of the y-websocket protocol (and bad paths, floods, swarms of
 * connections) while stock clients work on the same briefing. Whatever the fuzz sends, the server
 * must stay up, lose nothing a peer has seen, keep the briefing loadable and presence working: a
 * frame it cannot accept costs only the connection that sent it.
 *
 * FUZZ_SEED replays a run; FUZZ_FRAMES and FUZZ_MAX_MS make it longer; FUZZ_SERVER_LOG=<file>
 * keeps the server's log; FUZZ_SKIP=<kind>,… leaves kinds of frame or connection-level actions
 * out, to narrow a failure down or to look past a known crash (FRAME_KINDS in frameGenerator.ts;
 * session, raw-upgrade, flood, swarm, stall in fuzzWorker.ts).
 */

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 10_500);
/**
 * The fuzz phase ends at FRAMES; this only stops a run that hangs. About 60 s on an idle
 * two-core machine; under a load average of 9 the same frames took over twice as long, and a
 * time bound that ends the phase early would fail the frame count there for no fault of the server.
 */
const MAX_FUZZ_MS = Number(process.env.FUZZ_MAX_MS ?? 240_000);
const SKIP = new Set((process.env.FUZZ_SKIP ?? '').split(',').filter(Boolean));
/** Concurrent fuzz connections: enough to overlap round trips; past that they only share the CPU. */
const WORKERS = 8;
const MAX_MESSAGE_BYTES = 256 * 1024;
const RATE_BURST_MESSAGES = 300;
/** After a crash the server is started again (same port and data), so one run finds more than one crash. */
const MAX_RESPAWNS = 3;
/** How often a fresh stock client checks, during the fuzz, that the watched briefing still loads. */
const LOAD_CHECK_EVERY_MS = 1_500;

const seed = fuzzSeed('collab');

type StockClient = Client & { role: string; closes: number[] };

/** Close codes a stock client must never get: it sends nothing malformed, and nothing may break the server. */
const NEVER_FOR_STOCK_CLIENTS = new Set([CloseCode.MalformedMessage, 1011]);

/** Every stock client of the run, with how the server closed it. */
const stockClients: StockClient[] = [];

/** A stock y-websocket client; `reconnect` gives it the web client's rule (only 4401/4403/4404 are final). */
function stockClient(role: string, url: string, briefingId: string, reconnect: boolean): StockClient {
  const client = connectClient(url, briefingId);
  const closes: number[] = [];
  if (reconnect) client.provider.shouldReconnect = (event) => !FINAL_CLOSE_CODES.has(event.code);
  client.provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  const stock = Object.assign(client, { role, closes });
  stockClients.push(stock);
  return stock;
}

/** Whether a fresh stock client syncs the briefing within `timeoutMs`; else how it failed. */
async function loads(client: StockClient, timeoutMs: number): Promise<string | null> {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  if ((await Promise.race([client.synced, timeout])) !== 'timeout') return null;
  return `no sync within ${timeoutMs / 1000} s, closes [${client.closes.join(', ')}]`;
}

function describeDoc(doc: Y.Doc, witnesses: Witness[]): string {
  const texts = [...bodyStrings(doc)];
  const counts = witnesses.map((w) => `${texts.filter((text) => text.startsWith(`${w.label} `)).length} of ${w.label}`);
  return `title "${getTitle(doc)}", ${doc.getArray('sections').length} sections, paragraphs: ${counts.join(', ')}`;
}

/** How often stock clients were closed, by code. */
function stockCloses(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const code of stockClients.flatMap((client) => client.closes))
    counts.set(String(code), (counts.get(String(code)) ?? 0) + 1);
  return counts;
}

/** Acknowledged edits of `witnesses` that `doc` lacks. */
const missingFrom = (doc: Y.Doc, witnesses: Witness[]) => witnesses.flatMap((w) => w.missingFrom(doc));

describe(`collaboration server under fuzzed input (seed ${seed})`, () => {
  const stats = new FuzzStats();
  const clients: Client[] = [];
  const loadFailures: string[] = [];
  let server: WatchedServer;
  /** The witness on the watched briefing, and one on the same briefing by its id in upper case. */
  let witness: Witness;
  let witnesses: Witness[] = [];
  let writer: StockClient;
  let watcher: StockClient;
  let watchedId: string;
  let fuzzMs = 0;
  let lost: number | undefined;
  const started = Date.now();
  /** Kept after the run (and printed), to take apart a briefing that would not load. */
  const dataDir = tempDataDir();

  /** A fresh stock client must load the watched briefing at any moment of the run. */
  async function checkLoads(): Promise<void> {
    const at = ((Date.now() - started) / 1000).toFixed(1);
    const reader = stockClient(`reader at ${at} s`, server.url, watchedId, true);
    const failure = await loads(reader, 8_000);
    reader.destroy();
    if (failure) loadFailures.push(`at ${at} s: ${failure}`);
  }

  beforeAll(async () => {
    server = await WatchedServer.start(
      {
        DATA_DIR: dataDir,
        MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
        MAX_SEND_BUFFER_BYTES: String(4 * 1024 * 1024),
        RATE_BURST_MESSAGES: String(RATE_BURST_MESSAGES),
        RATE_MESSAGES_PER_SECOND: '5000',
        DOC_IDLE_UNLOAD_MS: '200',
        COMPACT_AFTER_UPDATES: '40',
        PROJECTION_DELAY_MS: '50',
      },
      MAX_RESPAWNS,
    );
    watchedId = await createBriefing(server.url, 'Fuzzed briefing');
    const otherId = await createBriefing(server.url, 'Its neighbour');
    writer = stockClient('writer', server.url, watchedId, true);
    watcher = stockClient('watcher', server.url, watchedId, true);
    clients.push(writer, watcher);
    await Promise.all([writer.synced, watcher.synced]);
    const sections = getSections(watcher.doc);
    witness = new Witness(writer, watcher, sections[1]!.id, 'witness');
    writer.provider.awareness.setLocalState({ user: { name: 'witness' }, typed: 0 });
    // Briefing ids are UUIDs, which compare without case: whatever the server makes of the id in
    // upper case (the same briefing, or a refusal), edits it acknowledged there are edits of this
    // briefing. Not awaited: a server that refuses the alias never syncs these two.
    const aliasWriter = stockClient('alias writer', server.url, watchedId.toUpperCase(), true);
    const aliasWatcher = stockClient('alias watcher', server.url, watchedId.toUpperCase(), true);
    clients.push(aliasWriter, aliasWatcher);
    witnesses = [witness, new Witness(aliasWriter, aliasWatcher, sections[2]!.id, 'alias-witness')];

    const base = Y.encodeStateAsUpdate(watcher.doc);
    const typeItems = sections.flatMap((section) => {
      const map = section.body.parent as Y.Map<unknown>;
      return [section.body._item!.id, map._item!.id].map(({ client, clock }) => ({ client, clock }));
    });
    const fuzzStarted = Date.now();
    const fuzzing = () => stats.frames < FRAMES && Date.now() - fuzzStarted < MAX_FUZZ_MS && !server.exhausted;
    const target: FuzzTarget = {
      server,
      watchedId,
      otherId,
      stats,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      burstMessages: RATE_BURST_MESSAGES,
      stockIds: clients.map((client) => client.doc.clientID),
      activeIds: new Set(),
      typeItems,
      frames: frameGenerator(SKIP),
      skip: SKIP,
      shouldStop: () => !fuzzing(),
    };
    const typing = setInterval(() => {
      for (const w of witnesses) w.type();
      if (witness.typed.length % 5 === 0) writer.provider.awareness.setLocalStateField('typed', witness.typed.length);
    }, 50);
    const loadChecks = (async () => {
      while (fuzzing()) {
        await new Promise((resolve) => setTimeout(resolve, LOAD_CHECK_EVERY_MS));
        if (server.alive) await checkLoads();
      }
    })();
    try {
      await Promise.all([
        loadChecks,
        ...Array.from({ length: WORKERS }, (_, i) => {
          const random = createRandom(seed + i * 7919);
          return runFuzzWorker(target, random, new EditCorpus(base, random));
        }),
      ]);
    } finally {
      clearInterval(typing);
    }
    fuzzMs = Date.now() - fuzzStarted;
    await server.ready();
    // Edits still in flight when the fuzz ends may arrive late; unacknowledged ones do not count.
    const settled = () =>
      witnesses.every((w) => {
        w.refresh();
        return w.acknowledged.size === w.typed.length;
      });
    await waitFor(settled, 5_000).catch(() => {});
  });

  afterAll(async () => {
    for (const w of witnesses) w.stop();
    for (const client of clients) client.destroy();
    await server?.stop();
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      `[fuzz] collab: seed ${seed}, frames ${stats.frames} (+${stats.extraFrames} in floods, swarms and probes), ` +
        `connections ${stats.connections}, closes ${FuzzStats.format(stats.outcomes)}, probe timeouts ${stats.probeTimeouts}, ` +
        `crashes ${server?.crashes.length ?? 0}, stock clients closed ${FuzzStats.format(stockCloses())}, ` +
        `acknowledged ${witnesses.map((w) => `${w.acknowledged.size}/${w.typed.length}`).join(' + ')}, ` +
        `lost ${lost ?? 'unmeasured'}, ` +
        `fuzz ${seconds(fuzzMs)}, total ${seconds(Date.now() - started)}, data ${dataDir}\n` +
        `[fuzz] collab: frames by kind ${FuzzStats.format(stats.kinds)}\n`,
    );
  });

  it('sends at least 10,000 generated frames', () => {
    const why = `frames sent before the fuzz phase ended (at ${FRAMES} frames or after ${MAX_FUZZ_MS / 1000} s)`;
    expect(stats.frames, why).toBeGreaterThanOrEqual(10_000);
  });

  it('never lets the server process exit, and /healthz still answers', async () => {
    const crashes = server.crashes.map((c) => `exit ${c.exit} at ${(c.atMs / 1000).toFixed(1)} s: ${c.error}`);
    expect.soft(crashes, 'the server process exited').toEqual([]);
    expect(await server.healthy()).toBe(true);
  });

  it('counts no error that slipped past the handlers (debrief_unhandled_errors_total)', async () => {
    expect(server.alive, 'the server is down').toBe(true);
    expect(await server.metric('debrief_unhandled_errors_total')).toBe(0);
  });

  it("still shows the witness's presence changes to the watcher", async () => {
    expect(server.alive, 'the server is down').toBe(true);
    const witnessId = writer.doc.clientID;
    const held = () => watcher.provider.awareness.getStates().get(witnessId)?.marker;
    for (const marker of ['after-fuzz-1', 'after-fuzz-2', 'after-fuzz-3']) {
      writer.provider.awareness.setLocalStateField('marker', marker);
      await waitFor(() => held() === marker, 15_000).catch(() => {});
      const clock = watcher.provider.awareness.meta.get(witnessId)?.clock;
      expect(held(), `the witness's presence as the watcher holds it (at clock ${clock})`).toBe(marker);
    }
  });

  it('lets a fresh stock client load the watched briefing throughout, with every acknowledged edit', async () => {
    expect(server.alive, 'the server is down').toBe(true);
    await checkLoads();
    expect.soft(loadFailures, 'fresh stock clients that could not load the briefing').toEqual([]);
    const fresh = stockClient('fresh client', server.url, watchedId, false);
    clients.push(fresh);
    expect(await loads(fresh, 10_000)).toBeNull();
    expect(witness.acknowledged.size, 'no edit of the witness was acknowledged').toBeGreaterThan(0);
    const missing = missingFrom(fresh.doc, witnesses);
    expect(missing, `acknowledged edits missing; it holds ${describeDoc(fresh.doc, witnesses)}`).toEqual([]);
  });

  it('keeps every acknowledged edit across a restart (lost = 0)', async () => {
    // The stock clients hold every edit too; they must not hand them back to the new process.
    for (const client of clients.splice(0)) client.destroy();
    const wasUp = server.alive;
    const exit = await server.stop();
    if (wasUp) expect.soft(exit, 'exit code of a SIGTERM shutdown').toBe(0);
    await server.restart();
    const fresh = stockClient('fresh client after the restart', server.url, watchedId, false);
    clients.push(fresh);
    expect(await loads(fresh, 10_000), 'a fresh client after the restart').toBeNull();
    const missing = missingFrom(fresh.doc, witnesses);
    lost = missing.length;
    const acknowledged = witnesses.reduce((n, w) => n + w.acknowledged.size, 0);
    expect(
      missing,
      `${lost} of ${acknowledged} acknowledged edits lost; the reloaded briefing holds ${describeDoc(fresh.doc, witnesses)}`,
    ).toEqual([]);
  });

  it('never closes a stock client as malformed (4400) or with an internal error (1011)', () => {
    const wronged = stockClients
      .map(({ role, closes }) => ({
        role,
        codes: [...new Set(closes.filter((code) => NEVER_FOR_STOCK_CLIENTS.has(code)))],
      }))
      .filter(({ codes }) => codes.length > 0)
      .map(({ role, codes }) => `${role}: ${codes.join(', ')}`);
    expect(wronged).toEqual([]);
  });
});
