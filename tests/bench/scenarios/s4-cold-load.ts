import type { ClientSpec, Clocks, ConnectResult, JoinResult, TypeResult } from '../lib/protocol.ts';
import { isDebrief } from '../lib/servers.ts';
import { median } from '../lib/stats.ts';
import { now } from '../lib/time.ts';
import { type Column, col, collectAll, drain, finalClocks, type RunContext, type Scenario } from './common.ts';

/** One new client opens the briefing on a freshly started server: ms until it holds `clocks`. */
async function coldLoad(context: RunContext, room: string, clocks: Clocks, timeoutMs = 60_000) {
  const client: ClientSpec = { key: `cold-${Math.random().toString(36).slice(2)}`, room, awareness: false };
  const started = now();
  const answer = await context.generators
    .at(0)
    .request<JoinResult>(
      { op: 'join', target: context.server.target, clients: [client], startAt: now(), clocks, timeoutMs, keep: false },
      timeoutMs + 10_000,
    );
  // A measured phase: a CPU profile of this scenario covers the cold loads only.
  context.windows.push([started, now()]);
  return { ms: answer.ms[0] ?? Number.NaN, reached: answer.reached[0] ?? {}, bytes: answer.bytes };
}

const columns: Column[] = [
  col('logged', 'cold load, update log (ms)', 'lower', 0),
  col('compacted', 'cold load, compacted (ms)', 'lower', 0),
  col('bytes', 'document (bytes)', null, 0),
  { ...col('survived', 'probe updates kept after SIGKILL', null, 0), format: (m) => `${m.survived} of ${m.probe}` },
];

/**
 * Scenario 4: a briefing built from many small updates, opened cold from its update log and again
 * after compaction; then a durability probe: edits every other client has seen, then SIGKILL.
 */
export const coldLoadScenario: Scenario = {
  number: 4,
  title: 'Cold load: long update log vs compacted, and SIGKILL durability',
  describe: ({ coldLoad: s }) =>
    `${s.builders} clients type ${s.updates} updates in all (${s.builderRate} updates/s each) into one briefing. ` +
    'Debrief runs with COMPACT_AFTER_UPDATES=100000000 so the log stays uncompacted, and is stopped with SIGKILL ' +
    '(its graceful stop would compact); the peers are stopped gracefully (SIGTERM: they flush their storage). A ' +
    'new server process starts on the same data and one client opens the briefing: "update log". Then a graceful ' +
    `restart (Debrief compacts into one snapshot; y-leveldb merged the log on the first load; Hocuspocus always ` +
    `stores one snapshot) and the same again: "compacted" (median of ${s.samples}). Last, the durability probe: ` +
    `one client types ${s.probeUpdates} more updates, and as soon as another client has received all of them the ` +
    'server is killed with SIGKILL and restarted; the column counts how many of those updates the new process has.',
  columns,
  debriefEnv: { COMPACT_AFTER_UPDATES: '100000000' },
  budgetMs: ({ coldLoad: s }) => 240_000 + (s.updates / s.builders / s.builderRate) * 1000,
  async run(context) {
    const { server, generators, sizes } = context;
    const s = sizes.coldLoad;
    const [room] = (await server.createRooms(1, generators)) as [string];
    const perBuilder = Math.ceil(s.updates / s.builders);
    const builders: ClientSpec[] = Array.from({ length: s.builders }, (_, i) => ({
      key: `b${i}`,
      room,
      awareness: false,
      section: i % 4,
      seed: 1000 + i,
    }));
    const observer: ClientSpec = { key: 'observer', room, awareness: false };
    const parts = generators.split([...builders, observer]);
    await generators.each<ConnectResult>((_, i) =>
      parts[i]?.length ? { op: 'connect', target: server.target, clients: parts[i] ?? [], timeoutMs: 30_000 } : null,
    );
    context.log(`typing ${perBuilder * s.builders} updates`);
    const durationMs = (perBuilder / s.builderRate) * 1000 + 1;
    const startAt = now() + 200;
    const typed = await generators.each<TypeResult>((_, i) => {
      const keys = (parts[i] ?? []).filter((c) => c.key !== 'observer').map((c) => c.key);
      return keys.length ? { op: 'type', keys, startAt, durationMs, rate: s.builderRate, maxEdits: perBuilder } : null;
    }, durationMs + 60_000);
    const clocks = finalClocks(typed);
    const roomClocks = clocks[room] ?? {};
    const keys = parts.map((part) => part.map((c) => c.key));
    const late = await drain(generators, keys, clocks, 60_000);
    if (late.length) throw new Error(`${late.length} clients never received every update`);
    const updates = typed.flatMap((t) => t.clients).reduce((sum, c) => sum + c.edits, 0);
    await collectAll(generators);
    await generators.each(() => ({ op: 'destroy' }));

    // 1. Cold, from the update log.
    await server.restart(isDebrief(server.name) ? 'kill' : 'graceful');
    const logged = await coldLoad(context, room, roomClocks);
    // 2. Cold, compacted.
    const compacted: number[] = [];
    for (let i = 0; i < s.samples; i++) {
      await server.restart('graceful');
      compacted.push((await coldLoad(context, room, roomClocks)).ms);
    }

    // 3. Durability probe.
    const probe: ClientSpec = { key: 'probe', room, awareness: false, section: 2, seed: 77 };
    const watcher: ClientSpec = { key: 'watcher', room, awareness: false };
    await generators.at(0).request({ op: 'connect', target: server.target, clients: [probe], timeoutMs: 30_000 });
    await generators.at(1).request({ op: 'connect', target: server.target, clients: [watcher], timeoutMs: 30_000 });
    const probeTyped = await generators.at(0).request<TypeResult>({
      op: 'type',
      keys: ['probe'],
      startAt: now() + 100,
      durationMs: (s.probeUpdates / 50) * 1000 + 1,
      rate: 50,
      maxEdits: s.probeUpdates,
    });
    const probeClocks = finalClocks([probeTyped]);
    const seen = await generators.at(1).request<{ ok: boolean }>({
      op: 'waitFor',
      keys: ['watcher'],
      clocks: probeClocks,
      timeoutMs: 30_000,
    });
    const sent = (await collectAll(generators)).senders.find((sender) => sender.room === room)?.sent ?? [];
    // Kill first (a graceful close of the last client would make Hocuspocus store at once), then drop
    // the clients before the new process listens, so none of them can resend what the server lost.
    await server.stop('kill');
    await generators.each(() => ({ op: 'destroy' }));
    await server.start();
    const after = await coldLoad(context, room, probeClocks[room] ?? {}, 5_000);
    const probeId = Object.keys(probeClocks[room] ?? {})[0] ?? '';
    const kept = after.reached[probeId] ?? 0;
    let survived = 0;
    for (let i = 0; i < sent.length; i += 2) if ((sent[i] as number) <= kept) survived++;
    return {
      metrics: {
        logged: logged.ms,
        compacted: median(compacted),
        bytes: logged.bytes,
        survived,
        probe: sent.length / 2,
        updates,
      },
      notes: [
        `${updates} updates logged`,
        ...(seen.ok ? [] : ['the watcher had not seen every probe update before the kill']),
        ...(Number.isNaN(logged.ms) ? ['the cold load from the log did not complete'] : []),
      ],
    };
  },
};
