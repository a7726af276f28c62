import { getSections, richTextToPlainText } from '@debrief/briefing';
import { createTestPostgres, openDatabase } from '@debrief/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { DocumentStore } from '../collab/DocumentStore.ts';
import { openStoredDocument } from '../collab/storedDocument.ts';
import {
  type ChildServer,
  type Client,
  connectClient,
  createBriefing,
  spawnServer,
  startTestRedis,
  typeParagraph,
  waitFor,
} from '../testing.ts';

/**
 * Scale-out against the machine's real PostgreSQL and a Redis of this file's own: two server
 * processes, stock y-websocket clients on each. Every test counts what was lost (an edit some
 * client saw that is missing from the database or from a client at the end) and expects 0.
 */

const paragraphs = (doc: Y.Doc): string[] => {
  const section = getSections(doc)[0];
  return section ? richTextToPlainText(section.body).split('\n\n').filter(Boolean) : [];
};

const postgres = await createTestPostgres();
const redis = postgres ? await startTestRedis() : null;
afterAll(async () => {
  await redis?.kill();
  await postgres?.drop();
});

/** The paragraphs of a briefing as the database has them (snapshot and log, as a load reads them). */
async function stored(briefingId: string): Promise<string[]> {
  const db = await openDatabase({ databaseUrl: postgres!.url });
  try {
    const document = await new DocumentStore(db).load(briefingId);
    const doc = openStoredDocument(briefingId, document!);
    try {
      return paragraphs(doc);
    } finally {
      doc.destroy();
    }
  } finally {
    await db.close();
  }
}

/** Types `count` paragraphs into `client`, one every `everyMs`, named `prefix-i`. */
async function typeMany(client: Client, prefix: string, count: number, everyMs: number): Promise<string[]> {
  const typed: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = `${prefix}-${i}`;
    typeParagraph(client.doc, 0, text);
    typed.push(text);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return typed;
}

const missingFrom = (expected: Iterable<string>, actual: string[]): string[] => {
  const have = new Set(actual);
  return [...expected].filter((text) => !have.has(text));
};

describe.runIf(redis)('several server processes on PostgreSQL and Redis', () => {
  const env = () => ({
    DATABASE_URL: postgres!.url,
    REDIS_URL: redis!.url,
    // Both processes compact the same briefings often, while clients type.
    COMPACT_AFTER_UPDATES: '20',
    PRESENCE_HEARTBEAT_MS: '250',
    PRESENCE_TIMEOUT_MS: '1500',
  });
  let one: ChildServer;
  let two: ChildServer;
  const clients: Client[] = [];
  const connect = (server: ChildServer, id: string) => {
    const client = connectClient(server.url, id);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // One after the other: the first migrates the database and makes the test account.
    one = await spawnServer(env());
    two = await spawnServer(env());
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await Promise.all([one?.kill(), two?.kill()]);
  });

  it('converges live both ways, and presence crosses and leaves', async () => {
    const id = await createBriefing(one.url);
    const a = connect(one, id);
    const b = connect(two, id);
    await Promise.all([a.synced, b.synced]);
    typeParagraph(a.doc, 0, 'from one');
    await waitFor(() => paragraphs(b.doc).includes('from one'), 10_000, 'one → two');
    typeParagraph(b.doc, 0, 'from two');
    await waitFor(() => paragraphs(a.doc).includes('from two'), 10_000, 'two → one');

    // A stock client's first, empty state (clock 0) is not presence to y-protocols: set a field.
    a.provider.awareness.setLocalStateField('cursor', { at: 1 });
    b.provider.awareness.setLocalStateField('cursor', { at: 2 });
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 10_000, 'presence one → two');
    // The server stamps who someone is from their account, on either process.
    expect(b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name).toBe('Test Admin');
    await waitFor(() => a.provider.awareness.getStates().has(b.doc.clientID), 10_000, 'presence two → one');
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 10_000, 'presence leaving');
  });

  it('loses nothing when Redis is killed and restarted mid-stream, and converges within 15 s', async () => {
    const id = await createBriefing(one.url);
    const a = connect(one, id);
    const b = connect(two, id);
    await Promise.all([a.synced, b.synced]);
    const typing = Promise.all([typeMany(a, 'a', 60, 25), typeMany(b, 'b', 60, 25)]);
    await new Promise((r) => setTimeout(r, 400));
    await redis!.kill();
    await new Promise((r) => setTimeout(r, 1_000));
    // While Redis is away each process serves its own clients, durably, and says it is alone.
    const ready = await (await fetch(`${one.url}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'ready', redis: 'unreachable' });
    const [typedA, typedB] = await typing;
    await redis!.start();
    const restarted = performance.now();
    const union = [...typedA, ...typedB];
    await waitFor(
      () => missingFrom(union, paragraphs(a.doc)).length === 0 && missingFrom(union, paragraphs(b.doc)).length === 0,
      15_000,
      'both clients to hold the union',
    );
    const seconds = (performance.now() - restarted) / 1000;
    const lost = missingFrom(union, await stored(id));
    console.log(`redis restart: converged ${seconds.toFixed(2)} s after Redis was back; lost ${lost.length}`);
    expect(lost).toEqual([]);
    await expect
      .poll(async () => ((await (await fetch(`${one.url}/readyz`)).json()) as { redis?: string }).redis)
      .toBe('connected');
    const metrics = await (await fetch(`${one.url}/metrics`)).text();
    expect(metrics).toMatch(/debrief_log_rows_caught_up_total [1-9]/);
  });

  it('loses nothing when two processes compact the same briefing while clients on both type', async () => {
    const id = await createBriefing(one.url);
    const a = connect(one, id);
    const b = connect(two, id);
    await Promise.all([a.synced, b.synced]);
    const [typedA, typedB] = await Promise.all([typeMany(a, 'ca', 150, 5), typeMany(b, 'cb', 150, 5)]);
    const union = [...typedA, ...typedB];
    await waitFor(
      () => missingFrom(union, paragraphs(a.doc)).length === 0 && missingFrom(union, paragraphs(b.doc)).length === 0,
      15_000,
      'both clients to hold the union',
    );
    // A third client joining now loads from what the compactions left.
    const c = connect(two, id);
    await c.synced;
    const lost = new Set([...missingFrom(union, await stored(id)), ...missingFrom(union, paragraphs(c.doc))]);
    console.log(`concurrent compaction: ${union.length} edits, lost ${lost.size}`);
    expect([...lost]).toEqual([]);
    const db = await openDatabase({ databaseUrl: postgres!.url });
    try {
      const [row] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS "n" FROM "Snapshot" WHERE "briefingId" = $1 AND "name" IS NULL',
        [id],
      );
      expect(row!.n).toBeGreaterThan(1);
    } finally {
      await db.close();
    }
  });

  it('loses nothing any client saw when a process is SIGKILLed mid-stream and restarted', async () => {
    const id = await createBriefing(one.url);
    const a = connect(one, id);
    const b = connect(two, id);
    await Promise.all([a.synced, b.synced]);
    const port = new URL(one.url).port;
    a.provider.awareness.setLocalStateField('cursor', { at: 1 });
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 10_000, 'presence one → two');
    const typing = Promise.all([typeMany(a, 'ka', 80, 10), typeMany(b, 'kb', 80, 10)]);
    await new Promise((r) => setTimeout(r, 300));
    await one.kill();
    const killed = performance.now();
    // What the client on the surviving process had seen when the other died.
    const seenByB = paragraphs(b.doc);
    // The dead process's presence leaves within seconds (its heartbeat stopped).
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 10_000, 'dead presence to leave');
    console.log(
      `SIGKILL: presence of the dead process gone after ${((performance.now() - killed) / 1000).toFixed(2)} s`,
    );
    const [typedA, typedB] = await typing;
    one = await spawnServer({ ...env(), PORT: port });
    const union = [...typedA, ...typedB];
    // `a` reconnects to the restarted process by itself and sends what the server lacks.
    await waitFor(
      () => missingFrom(union, paragraphs(a.doc)).length === 0 && missingFrom(union, paragraphs(b.doc)).length === 0,
      30_000,
      'both clients to hold the union after the restart',
    );
    const lost = new Set([...missingFrom(seenByB, await stored(id)), ...missingFrom(union, await stored(id))]);
    console.log(`SIGKILL: ${seenByB.length} edits seen at the kill, ${union.length} typed, lost ${lost.size}`);
    expect([...lost]).toEqual([]);
  }, 60_000);
});
