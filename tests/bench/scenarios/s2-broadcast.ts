import type { ClientSpec, ConnectResult, TypeResult } from '../lib/protocol.ts';
import { fanOut } from '../lib/stats.ts';
import { now } from '../lib/time.ts';
import { col, collectAll, drain, finalClocks, peakRss, type Scenario, seconds, Window } from './common.ts';

/** Scenario 2: one writer, many observers of the same briefing. */
export const broadcast: Scenario = {
  number: 2,
  title: 'Broadcast: one writer, many observers',
  describe: ({ broadcast: s }) =>
    `1 writer typing ${s.rate} updates/s for ${seconds(s.durationMs)} into one briefing watched by ` +
    `${s.observers} observers (no presence of their own). Fan-out is the time until the last observer has the edit.`,
  columns: [
    col('connectMs', `observers connected and synced (ms)`, 'lower', 0),
    col('p50', 'fan-out p50 (ms)', 'lower', 1),
    col('p95', 'fan-out p95 (ms)', 'lower', 1),
    col('p99', 'fan-out p99 (ms)', 'lower', 1),
    col('eachP50', 'per-observer p50 (ms)', 'lower', 1),
    col('deliveries', 'deliveries/s', 'higher', 0),
    col('cpu', 'server CPU (% of a core)', 'lower', 0),
    col('eldP99', 'event-loop delay p99 (ms)', 'lower', 1),
    col('peakRss', 'peak RSS (MiB)', 'lower', 0),
    col('missing', 'undelivered', null, 0),
  ],
  budgetMs: ({ broadcast: s }) => s.durationMs + 120_000,
  async run(context) {
    const { server, generators, sizes } = context;
    const s = sizes.broadcast;
    const [room] = await server.createRooms(1, generators);
    const writer: ClientSpec = { key: 'writer', room: room as string, awareness: true, section: 1, seed: 42 };
    const observers: ClientSpec[] = Array.from({ length: s.observers }, (_, i) => ({
      key: `o${i}`,
      room: room as string,
      awareness: false,
    }));
    await generators.at(0).request<ConnectResult>({
      op: 'connect',
      target: server.target,
      clients: [writer],
      timeoutMs: 20_000,
    });
    const parts = generators.split(observers);
    const started = now();
    const connected = await generators.each<ConnectResult>((_, i) =>
      parts[i]?.length ? { op: 'connect', target: server.target, clients: parts[i] ?? [], timeoutMs: 90_000 } : null,
    );
    const connectMs = now() - started;
    const failed = connected.flatMap((c) => c.failed);
    if (failed.length) throw new Error(`${failed.length} observers did not connect`);

    context.log(`1 writer → ${s.observers} observers for ${seconds(s.durationMs)}`);
    const window = new Window(context);
    const startAt = now() + 300;
    const typed = await generators
      .at(0)
      .request<TypeResult>(
        { op: 'type', keys: ['writer'], startAt, durationMs: s.durationMs, rate: s.rate },
        s.durationMs + 60_000,
      );
    const keys = parts.map((part) => part.map((c) => c.key));
    const late = await drain(generators, keys, finalClocks([typed]), 15_000);
    const usage = await window.close();
    const collected = await collectAll(generators);
    const result = fanOut(collected.senders, collected.observers);
    const span = (result.lastDelivery - result.firstSend) / 1000;
    return {
      metrics: {
        connectMs,
        p50: result.all.p50,
        p95: result.all.p95,
        p99: result.all.p99,
        eachP50: result.each.p50,
        deliveries: span > 0 ? result.each.count / span : Number.NaN,
        cpu: usage.cpu,
        eldP99: usage.eldP99,
        peakRss: peakRss(context),
        missing: result.missing,
      },
      notes: [
        `load generators used ${usage.loadgenCpu.toFixed(0)}% of a core while the writer typed`,
        ...(usage.log ? [usage.log] : []),
        ...(late.length ? [`${late.length} observers had not caught up 15 s after the writer stopped`] : []),
        ...(collected.disconnects ? [`${collected.disconnects} client connections were closed during the run`] : []),
      ],
    };
  },
};
