/**
 * Heap flatness of the collaboration server over connect/disconnect churn: 10,000 stock
 * y-websocket clients connect, sync and leave, spread over 100 briefings, against the real
 * server in this process (embedded database in memory). Prints the server process's heap before
 * (briefings created and opened once), after the cycles, and after a full GC.
 *
 *   npm run heap -w @debrief/tests            (node --expose-gc; CYCLES=… BRIEFINGS=… to change)
 *
 * PRESENCE=1: every client also shows a caret (awareness), as an editor does. DATABASE_URL and
 * REDIS_URL: the server runs on PostgreSQL with the Redis fan-out on.
 */
import { connectClient, createBriefing, startTestServer } from '@debrief/server/testing';

const CYCLES = Number(process.env.CYCLES ?? 10_000);
const BRIEFINGS = Number(process.env.BRIEFINGS ?? 100);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run heap -w @debrief/tests)');

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const PRESENCE = process.env.PRESENCE === '1';
const server = await startTestServer({
  LOG_LEVEL: 'silent',
  MAX_CONNECTIONS_PER_USER: 0,
  DATABASE_URL: process.env.DATABASE_URL || undefined,
  REDIS_URL: process.env.REDIS_URL || undefined,
});
const ids: string[] = [];
for (let i = 0; i < BRIEFINGS; i++) ids.push(await createBriefing(server.url, `Heap ${i}`));

/** One round: a client per briefing connects, syncs and leaves. */
async function round(): Promise<void> {
  const clients = ids.map((id) => connectClient(server.url, id));
  if (PRESENCE) for (const client of clients) client.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
  await Promise.all(clients.map((client) => client.synced));
  for (const client of clients) client.destroy();
}

await round();
const before = heap();
const started = performance.now();
for (let done = BRIEFINGS; done < CYCLES + BRIEFINGS; done += BRIEFINGS) await round();
await new Promise((resolve) => setTimeout(resolve, 1_000));
const after = process.memoryUsage().heapUsed;
const afterGc = heap();
console.log(
  JSON.stringify({
    cycles: CYCLES,
    briefings: BRIEFINGS,
    presence: PRESENCE,
    database: server.db.kind,
    redis: Boolean(process.env.REDIS_URL),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    heapBeforeMiB: Number(mib(before)),
    heapAfterMiB: Number(mib(after)),
    heapAfterGcMiB: Number(mib(afterGc)),
    growthAfterGcMiB: Number(mib(afterGc - before)),
    loadedDocuments: server.registry.loadedCount,
  }),
);
await server.close();
process.exit(0);
