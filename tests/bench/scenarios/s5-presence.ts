import type { ClientSpec, ConnectResult } from '../lib/protocol.ts';
import { fanOut } from '../lib/stats.ts';
import { now, sleep } from '../lib/time.ts';
import { col, collectAll, peakRss, type Scenario, seconds, Window } from './common.ts';

/** Scenario 5: presence only — every client moves its caret once a second. */
export const presence: Scenario = {
  number: 5,
  title: 'Presence: carets moving at 1 Hz',
  describe: ({ presence: s }) =>
    `${s.clients} clients in briefings of ${s.perBriefing} (${Math.ceil(s.clients / s.perBriefing)} briefings), each ` +
    `moving its caret (y-prosemirror style relative positions in the awareness state) ${s.hz} time(s) a second for ` +
    `${seconds(s.durationMs)}. Latency is until every other client of the briefing has the new caret.`,
  columns: [
    col('p50', 'caret latency p50 (ms)', 'lower', 1),
    col('p95', 'p95 (ms)', 'lower', 1),
    col('p99', 'p99 (ms)', 'lower', 1),
    col('cpu', 'server CPU (% of a core)', 'lower', 0),
    col('eldP99', 'event-loop delay p99 (ms)', 'lower', 1),
    col('peakRss', 'peak RSS (MiB)', 'lower', 0),
    col('missing', 'undelivered', null, 0),
  ],
  budgetMs: ({ presence: s }) => s.durationMs + 120_000,
  async run(context) {
    const { server, generators, sizes } = context;
    const s = sizes.presence;
    const rooms = await server.createRooms(Math.ceil(s.clients / s.perBriefing), generators);
    const specs: ClientSpec[] = Array.from({ length: s.clients }, (_, i) => ({
      key: `p${i}`,
      room: rooms[Math.floor(i / s.perBriefing)] as string,
      awareness: true,
      seed: i + 1,
    }));
    const parts = generators.split(specs);
    const connected = await generators.each<ConnectResult>((_, i) =>
      parts[i]?.length ? { op: 'connect', target: server.target, clients: parts[i] ?? [], timeoutMs: 60_000 } : null,
    );
    const failed = connected.flatMap((c) => c.failed);
    if (failed.length) throw new Error(`${failed.length} clients did not connect`);
    // Let the joining presence storm settle before measuring.
    await sleep(1_000);
    await collectAll(generators);

    context.log(`${s.clients} carets at ${s.hz} Hz for ${seconds(s.durationMs)}`);
    const window = new Window(context);
    const startAt = now() + 300;
    await generators.each(
      (_, i) =>
        parts[i]?.length
          ? { op: 'presence', keys: (parts[i] ?? []).map((c) => c.key), startAt, durationMs: s.durationMs, hz: s.hz }
          : null,
      s.durationMs + 60_000,
    );
    await sleep(1_500);
    const usage = await window.close();
    const collected = await collectAll(generators);
    const result = fanOut(collected.presenceSenders, collected.presenceObservers);
    return {
      metrics: {
        p50: result.all.p50,
        p95: result.all.p95,
        p99: result.all.p99,
        cpu: usage.cpu,
        eldP99: usage.eldP99,
        peakRss: peakRss(context),
        missing: result.missing,
      },
      notes: [
        `load generators used ${usage.loadgenCpu.toFixed(0)}% of a core`,
        ...(collected.disconnects ? [`${collected.disconnects} client connections were closed during the run`] : []),
      ],
    };
  },
};
