import { getSections, MessageType, richTextToPlainText } from '@debrief/briefing';
import { createTestPostgres } from '@debrief/db';
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  type Client,
  connectClient,
  createBriefing,
  spawnServer,
  startTestServer,
  tempDataDir,
  typeParagraph,
  waitFor,
} from '../testing.ts';
import type { DocumentStore } from './DocumentStore.ts';

const paragraphs = (doc: Y.Doc, index: number) => {
  const section = getSections(doc)[index];
  // A client that never synced has no sections yet: it has seen nothing.
  return section ? richTextToPlainText(section.body).split('\n\n').filter(Boolean) : [];
};

/**
 * A stock provider that announces no presence. With every client in a briefing like this, the
 * server knows no awareness state and relays none, so each awareness frame a client receives is
 * the answer to its own query-awareness (see `roundTrip`).
 */
function quietClient(url: string, briefingId: string): Client {
  const client = connectClient(url, briefingId);
  // Before the socket opens: the provider then sends no awareness state at all.
  client.provider.awareness.setLocalState(null);
  return client;
}

/** Resolves once the client's socket is open and its sync step 1 has been sent. */
function connected(client: Client): Promise<void> {
  return new Promise((resolve) => {
    if (client.provider.wsconnected) return resolve();
    const onStatus = ({ status }: { status: string }) => {
      if (status !== 'connected') return;
      client.provider.off('status', onStatus);
      // Resolving runs our continuation after the provider's open handler, which sends step 1.
      resolve();
    };
    client.provider.on('status', onStatus);
  });
}

/**
 * Sends a query-awareness and resolves on the server's answer. The server handles a connection's
 * frames in order and answers this one at once, so the answer is the positive signal that it has
 * handled every frame the client sent before, and that whatever it sent this client before
 * answering has arrived: after it, "nothing arrived" means nothing was sent.
 */
function roundTrip(client: Client): Promise<void> {
  const handlers = client.provider.messageHandlers;
  const original = handlers[MessageType.Awareness]!;
  return new Promise((resolve) => {
    handlers[MessageType.Awareness] = (...args) => {
      handlers[MessageType.Awareness] = original;
      original(...args);
      resolve();
    };
    client.provider.ws!.send(new Uint8Array([MessageType.QueryAwareness]));
  });
}

/** The numbers of the saved-query answers the client receives, in order. */
function savedAnswers(client: Client): number[] {
  const answers: number[] = [];
  client.provider.messageHandlers[MessageType.SavedQuery] = (_encoder, decoder) => {
    answers.push(decoding.readVarUint(decoder));
  };
  return answers;
}

/**
 * Holds the update log's commits open for as long as a test likes, on any database: while held,
 * an append the log writer issues waits before it reaches the store's real `append`.
 */
class CommitGate {
  /** Appends the log writer issued so far, held or not. */
  arrived = 0;
  private opened: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  hold(): void {
    this.opened = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open();
  }

  readonly wrap = (store: DocumentStore): DocumentStore =>
    Object.assign(Object.create(store) as DocumentStore, {
      append: async (entries: Parameters<DocumentStore['append']>[0]) => {
        this.arrived++;
        await this.opened;
        return store.append(entries);
      },
    });
}

describe('durability across restarts (embedded PGlite on disk)', () => {
  it('keeps every update a peer received when the server is killed with SIGKILL', async () => {
    const dataDir = tempDataDir();
    const first = await spawnServer({ DATA_DIR: dataDir });
    const id = await createBriefing(first.url);
    const writer = connectClient(first.url, id);
    const witness = connectClient(first.url, id);
    await Promise.all([writer.synced, witness.synced]);
    const count = 300;
    for (let i = 0; i < count; i++) typeParagraph(writer.doc, 1, `observation ${i}`);
    // The witness has seen them only if the server broadcast them, i.e. after they were durable
    // (the order 'the durability rule' tests below prove with the commit held open).
    await waitFor(() => paragraphs(witness.doc, 1).length === count, 20_000, 'witness to see every update');
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    writer.destroy();
    witness.destroy();

    const second = await spawnServer({ DATA_DIR: dataDir });
    try {
      const reader = connectClient(second.url, id);
      await reader.synced;
      expect(paragraphs(reader.doc, 1)).toEqual(Array.from({ length: count }, (_, i) => `observation ${i}`));
      reader.destroy();
    } finally {
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 120_000);

  it('flushes and compacts on graceful shutdown, and reopens the same data', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ DATA_DIR: dataDir });
    const id = await createBriefing(first.url, 'Kept across restarts');
    const editor = connectClient(first.url, id);
    await editor.synced;
    typeParagraph(editor.doc, 0, 'written before shutdown');
    // An edit still in flight on the socket is the client's to resend; wait until it is logged.
    await expect.poll(() => first.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(1);
    await first.close();
    editor.destroy();

    const second = await startTestServer({ DATA_DIR: dataDir });
    try {
      expect(await second.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(0);
      const reader = connectClient(second.url, id);
      await reader.synced;
      expect(paragraphs(reader.doc, 0)).toEqual(['written before shutdown']);
      reader.destroy();
    } finally {
      await second.close();
    }
  }, 120_000);
});

const postgres = await createTestPostgres();
afterAll(async () => postgres?.drop());

const engines: Array<[string, () => { DATA_DIR?: string; DATABASE_URL?: string }]> = [
  // In memory: the order is the server's, whatever the storage; restarts are tested above.
  ['embedded PGlite', () => ({ DATA_DIR: 'memory://' })],
  ...(postgres
    ? [['PostgreSQL', () => ({ DATABASE_URL: postgres.url })] as [string, () => { DATABASE_URL: string }]]
    : []),
];

describe.each(engines)('the durability rule on %s', (_name, database) => {
  it('shows an update to no peer, no joiner and no saved-query before its log append commits, and to all three after', async () => {
    const gate = new CommitGate();
    const server = await startTestServer(database(), { testOnlyLogStore: gate.wrap });
    const clients: Client[] = [];
    try {
      const id = await createBriefing(server.url);
      const rows = () => server.db.prisma.docUpdate.count({ where: { briefingId: id } });
      const writer = quietClient(server.url, id);
      const peer = quietClient(server.url, id);
      clients.push(writer, peer);
      await Promise.all([writer.synced, peer.synced]);
      const acks = savedAnswers(writer);
      const logged = await rows();

      gate.hold();
      typeParagraph(writer.doc, 0, 'held back');
      writer.provider.ws!.send(new Uint8Array([MessageType.SavedQuery, 1]));
      // The server applied the edit and issued its append, which the gate now holds uncommitted.
      await waitFor(() => gate.arrived === 1, 10_000, 'the edit to reach the log writer');
      const joiner = quietClient(server.url, id);
      clients.push(joiner);
      await connected(joiner);
      // Each has been answered a later message: the server handled the saved-query and the
      // joiner's sync step 1, and anything it sent any of them before is in.
      await Promise.all([roundTrip(writer), roundTrip(peer), roundTrip(joiner)]);
      expect(await rows()).toBe(logged);
      expect(paragraphs(peer.doc, 0)).toEqual([]);
      expect(acks).toEqual([]);
      expect(joiner.provider.synced).toBe(false);
      expect(paragraphs(joiner.doc, 0)).toEqual([]);

      gate.release();
      await waitFor(() => paragraphs(peer.doc, 0).length === 1, 10_000, 'the peer to receive the edit');
      expect(paragraphs(peer.doc, 0)).toEqual(['held back']);
      await joiner.synced;
      expect(paragraphs(joiner.doc, 0)).toEqual(['held back']);
      await waitFor(() => acks.length === 1, 10_000, 'the saved-query answer');
      expect(acks).toEqual([1]);
      expect(await rows()).toBe(logged + 1);
    } finally {
      gate.release();
      for (const client of clients) client.destroy();
      await server.close();
    }
  });
});

describe.runIf(postgres)('the same guarantees on PostgreSQL', () => {
  it('converges, persists and reloads after a restart', async () => {
    const url = postgres!.url;
    const first = await startTestServer({ DATABASE_URL: url });
    const id = await createBriefing(first.url);
    const a = connectClient(first.url, id);
    const b = connectClient(first.url, id);
    await Promise.all([a.synced, b.synced]);
    typeParagraph(a.doc, 0, 'a on postgres');
    // The last of schema version 2's four sections (version 1 had five).
    typeParagraph(b.doc, 3, 'b on postgres');
    await waitFor(() => paragraphs(a.doc, 3).length === 1 && paragraphs(b.doc, 0).length === 1);
    await first.close();
    a.destroy();
    b.destroy();

    const second = await startTestServer({ DATABASE_URL: url });
    try {
      const reader = connectClient(second.url, id);
      await reader.synced;
      expect(paragraphs(reader.doc, 0)).toEqual(['a on postgres']);
      expect(paragraphs(reader.doc, 3)).toEqual(['b on postgres']);
      reader.destroy();
    } finally {
      await second.close();
    }
  });

  it('shows no peer or joiner an edit, nor acknowledges it, while its log write waits on a table lock', async () => {
    const server = await startTestServer({ DATABASE_URL: postgres!.url });
    const locker = new pg.Client({ connectionString: postgres!.url });
    await locker.connect();
    const clients: Client[] = [];
    try {
      const id = await createBriefing(server.url);
      const writer = quietClient(server.url, id);
      const peer = quietClient(server.url, id);
      clients.push(writer, peer);
      await Promise.all([writer.synced, peer.synced]);
      const acks = savedAnswers(writer);

      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "DocUpdate" IN ACCESS EXCLUSIVE MODE');
      typeParagraph(writer.doc, 0, 'held back');
      writer.provider.ws?.send(new Uint8Array([MessageType.SavedQuery, 1]));
      // The server's append is waiting for the lock: PostgreSQL shows a lock on the log not granted.
      const waiting = async () =>
        Number(
          (
            await locker.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_locks WHERE relation = '"DocUpdate"'::regclass AND NOT granted`,
            )
          ).rows[0]!.n,
        );
      await expect.poll(waiting, { timeout: 10_000 }).toBeGreaterThan(0);
      const joiner = quietClient(server.url, id);
      clients.push(joiner);
      await connected(joiner);
      await Promise.all([roundTrip(writer), roundTrip(peer), roundTrip(joiner)]);
      expect(paragraphs(peer.doc, 0)).toEqual([]);
      expect(acks).toEqual([]);
      expect(joiner.provider.synced).toBe(false);
      expect(paragraphs(joiner.doc, 0)).toEqual([]);

      await locker.query('COMMIT');
      await waitFor(() => paragraphs(peer.doc, 0).length === 1, 10_000, 'peer to receive the edit');
      await waitFor(() => acks.length === 1, 10_000, 'saved acknowledgement');
      expect(acks).toEqual([1]);
      await joiner.synced;
      expect(paragraphs(joiner.doc, 0)).toEqual(['held back']);
      expect(await server.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(1);
    } finally {
      for (const client of clients) client.destroy();
      await locker.end();
      await server.close();
    }
  });
});
