import type { ClientSpec, ConnectResult, TypeResult } from '../lib/protocol.ts';
import { fanOut } from '../lib/stats.ts';
import { now } from '../lib/time.ts';
import { col, collectAll, drain, finalClocks, peakRss, type Scenario, seconds, Window } from './common.ts';

/** Scenario 1: many briefings, each with a few editors typing rich text at a steady pace, then a burst. */
export const editing: Scenario = {
  number: 1,
  title: 'Editing: many briefings, a few editors each',
  describe: ({ editing: s }) =>
    `${s.briefings} briefings × ${s.editorsPerBriefing} editors (${s.briefings * s.editorsPerBriefing} clients), ` +
    `each typing ${s.rate} updates/s into its own paragraph for ${seconds(s.durationMs)} ` +
    `(${s.briefings * s.editorsPerBriefing * s.rate} updates/s offered in all), then a burst of ` +
    `${s.burstTotalRate} updates/s in all for ${seconds(s.burstDurationMs)}. Every other editor of the briefing is ` +
    'an observer of each edit. Server CPU and event-loop delay cover the paced phase.',
  columns: [
    col('p50', 'fan-out p50 (ms)', 'lower', 1),
    col('p95', 'fan-out p95 (ms)', 'lower', 1),
    col('p99', 'fan-out p99 (ms)', 'lower', 1),
    col('sustained', 'sustained updates/s', 'higher', 0),
    col('burstRate', 'burst: delivered updates/s', 'higher', 0),
    col('burstP99', 'burst: fan-out p99 (ms)', 'lower', 0),
    col('cpu', 'server CPU (% of a core)', 'lower', 0),
    col('eldP99', 'event-loop delay p99 (ms)', 'lower', 1),
    col('peakRss', 'peak RSS (MiB)', 'lower', 0),
    col('rssPerDoc', 'RSS per loaded briefing (MiB)', 'lower', 2),
    col('missing', 'undelivered', null, 0),
  ],
  budgetMs: ({ editing: s }) => s.durationMs + s.burstDurationMs + 120_000,
  async run(context) {
    const { server, generators, sizes } = context;
    const s = sizes.editing;
    const rooms = await server.createRooms(s.briefings, generators);
    context.log(`${rooms.length} briefings ready`);
    const specs: ClientSpec[] = rooms.flatMap((room, r) =>
      Array.from({ length: s.editorsPerBriefing }, (_, e) => ({
        key: `e${r}-${e}`,
        room,
        awareness: true,
        section: e % 4,
        seed: r * 100 + e + 1,
      })),
    );
    // Round-robin: the editors of one briefing sit in different load generators.
    const parts = generators.split(specs);
    const keys = parts.map((part) => part.map((c) => c.key));
    const connected = await generators.each<ConnectResult>((_, i) =>
      parts[i]?.length ? { op: 'connect', target: server.target, clients: parts[i] ?? [], timeoutMs: 60_000 } : null,
    );
    const failed = connected.flatMap((c) => c.failed);
    if (failed.length) throw new Error(`${failed.length} editors did not connect`);
    context.log(`${specs.length} editors connected`);

    const phase = async (rate: number, durationMs: number, drainMs: number) => {
      const startAt = now() + 300;
      const typed = await generators.each<TypeResult>(
        (_, i) => (keys[i]?.length ? { op: 'type', keys: keys[i] ?? [], startAt, durationMs, rate } : null),
        durationMs + 60_000,
      );
      const late = await drain(generators, keys, finalClocks(typed), drainMs);
      const collected = await collectAll(generators);
      return { result: fanOut(collected.senders, collected.observers), late, disconnects: collected.disconnects };
    };

    context.log(`paced: ${specs.length} editors × ${s.rate}/s for ${seconds(s.durationMs)}`);
    const window = new Window(context);
    const paced = await phase(s.rate, s.durationMs, 10_000);
    const usage = await window.close();

    const burstRate = s.burstTotalRate / specs.length;
    context.log(`burst: ${s.burstTotalRate}/s for ${seconds(s.burstDurationMs)}`);
    const burstWindow = new Window(context);
    const burst = await phase(burstRate, s.burstDurationMs, 30_000);
    const burstUsage = await burstWindow.close();
    const burstSpan = (burst.result.lastDelivery - burst.result.firstSend) / 1000;

    const peak = peakRss(context);
    const notes = [
      `paced phase: load generators used ${usage.loadgenCpu.toFixed(0)}% of a core`,
      ...(usage.log ? [`paced phase: ${usage.log}`] : []),
      `burst phase: server CPU ${burstUsage.cpu.toFixed(0)}% of a core, event-loop delay p99 ${burstUsage.eldP99.toFixed(0)} ms, load generators ${burstUsage.loadgenCpu.toFixed(0)}%`,
      ...(burstUsage.log ? [`burst phase: ${burstUsage.log}`] : []),
      ...(paced.disconnects + burst.disconnects > 0
        ? [`${paced.disconnects + burst.disconnects} client connections were closed during the run`]
        : []),
      ...(burst.late.length ? [`${burst.late.length} editors had not caught up 30 s after the burst`] : []),
    ];
    return {
      metrics: {
        p50: paced.result.all.p50,
        p95: paced.result.all.p95,
        p99: paced.result.all.p99,
        sustained: paced.result.deliveredToAll / (s.durationMs / 1000),
        burstRate: burstSpan > 0 ? burst.result.deliveredToAll / burstSpan : Number.NaN,
        burstP99: burst.result.all.p99,
        cpu: usage.cpu,
        eldP99: usage.eldP99,
        peakRss: peak,
        rssPerDoc: (peak - server.baselineRssMiB) / s.briefings,
        missing: paced.result.missing + burst.result.missing,
        // Not columns: read by the report's "what would fix it".
        logPerStatement: usage.perStatement,
        logMsPerStatement: usage.msPerStatement,
        burstLogPerStatement: burstUsage.perStatement,
        baselineRss: server.baselineRssMiB,
      },
      notes,
    };
  },
};
