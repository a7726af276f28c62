import type { ClientSpec, ConnectResult, TypeResult } from '../lib/protocol.ts';
import { fanOut } from '../lib/stats.ts';
import { now } from '../lib/time.ts';
import { col, collectAll, drain, finalClocks, peakRss, type Scenario, seconds, Window } from './common.ts';

/**
 * Scenario 6, the heavy mix: one writer typing into a briefing watched by many observers while
 * many other briefings each have a few editors typing at the same rate (~1,000 updates/s in all at
 * the shape). Fan-out is reported for the watched briefing and for the background ones.
 */
export const heavy: Scenario = {
  number: 6,
  title: 'Heavy mix: one writer → many observers, many busy briefings beside it',
  describe: ({ heavy: s }) =>
    `1 writer typing ${s.rate} updates/s into one briefing watched by ${s.observers} observers while ` +
    `${s.backgroundBriefings} other briefings × ${s.editorsPerBackground} editors type ${s.rate} updates/s per briefing ` +
    `(${s.rate * (1 + s.backgroundBriefings)} updates/s offered in all), for ${seconds(s.durationMs)}. ` +
    'Fan-out p50/p95/p99 is for the watched briefing (time until the last observer has the edit); ' +
    'background p99 is the same over the background briefings. CPU covers the typing phase.',
  columns: [
    col('connectMs', 'all clients connected and synced (ms)', 'lower', 0),
    col('p50', 'fan-out p50 (ms)', 'lower', 1),
    col('p95', 'fan-out p95 (ms)', 'lower', 1),
    col('p99', 'fan-out p99 (ms)', 'lower', 1),
    col('bgP99', 'background fan-out p99 (ms)', 'lower', 1),
    col('delivered', 'updates/s delivered to all', 'higher', 0),
    col('cpuS', 'server CPU (s)', 'lower', 1),
    col('eldP99', 'event-loop delay p99 (ms)', 'lower', 1),
    col('baselineRss', 'RSS before any briefing (MiB)', 'lower', 0),
    col('peakRss', 'peak RSS (MiB)', 'lower', 0),
    col('missing', 'undelivered', null, 0),
  ],
  budgetMs: ({ heavy: s }) => s.durationMs + 180_000,
  async run(context) {
    const { server, generators, sizes } = context;
    const s = sizes.heavy;
    const rooms = await server.createRooms(1 + s.backgroundBriefings, generators);
    const [watched, ...background] = rooms as [string, ...string[]];
    const writer: ClientSpec = { key: 'writer', room: watched, awareness: true, section: 1, seed: 42 };
    const observers: ClientSpec[] = Array.from({ length: s.observers }, (_, i) => ({
      key: `o${i}`,
      room: watched,
      awareness: false,
    }));
    const editors: ClientSpec[] = background.flatMap((room, r) =>
      Array.from({ length: s.editorsPerBackground }, (_, e) => ({
        key: `b${r}-${e}`,
        room,
        awareness: true,
        section: e % 4,
        seed: r * 100 + e + 7,
      })),
    );
    await generators.at(0).request<ConnectResult>({
      op: 'connect',
      target: server.target,
      clients: [writer],
      timeoutMs: 20_000,
    });
    const parts = generators.split([...editors, ...observers]);
    const started = now();
    const connected = await generators.each<ConnectResult>((_, i) =>
      parts[i]?.length ? { op: 'connect', target: server.target, clients: parts[i] ?? [], timeoutMs: 120_000 } : null,
    );
    const connectMs = now() - started;
    const failed = connected.flatMap((c) => c.failed);
    if (failed.length) throw new Error(`${failed.length} clients did not connect`);

    const typerSet = new Set([writer, ...editors].map((c) => c.key));
    const typingKeys = parts.map((part, i) => [
      ...(i === 0 ? ['writer'] : []),
      ...part.filter((c) => typerSet.has(c.key)).map((c) => c.key),
    ]);
    context.log(
      `1 writer → ${s.observers} observers + ${s.backgroundBriefings} × ${s.editorsPerBackground} editors at ${s.rate}/s for ${seconds(s.durationMs)}`,
    );
    const windowStart = now();
    const window = new Window(context);
    const startAt = now() + 300;
    // The writer types at the briefing's rate; background editors share theirs.
    const typing = (keys: string[], rate: number) =>
      generators.each<TypeResult>((_, i) => {
        const mine = keys.filter((k) => typingKeys[i]?.includes(k));
        return mine.length ? { op: 'type', keys: mine, startAt, durationMs: s.durationMs, rate } : null;
      }, s.durationMs + 60_000);
    const typed = (
      await Promise.all([
        typing(['writer'], s.rate),
        typing(
          editors.map((e) => e.key),
          s.rate / s.editorsPerBackground,
        ),
      ])
    ).flat();
    const keys = parts.map((part, i) => [...(i === 0 ? ['writer'] : []), ...part.map((c) => c.key)]);
    const late = await drain(generators, keys, finalClocks(typed), 20_000);
    const usage = await window.close();
    const windowS = (now() - windowStart) / 1000;
    const collected = await collectAll(generators);
    const inWatched = <T extends { room: string }>(list: T[]) => list.filter((x) => x.room === watched);
    const inBackground = <T extends { room: string }>(list: T[]) => list.filter((x) => x.room !== watched);
    const main = fanOut(inWatched(collected.senders), inWatched(collected.observers));
    const bg = fanOut(inBackground(collected.senders), inBackground(collected.observers));
    const delivered = (main.deliveredToAll + bg.deliveredToAll) / (s.durationMs / 1000);
    return {
      metrics: {
        connectMs,
        p50: main.all.p50,
        p95: main.all.p95,
        p99: main.all.p99,
        bgP99: bg.all.p99,
        delivered,
        cpuS: (usage.cpu / 100) * windowS,
        cpu: usage.cpu,
        eldP99: usage.eldP99,
        baselineRss: server.baselineRssMiB,
        peakRss: peakRss(context),
        missing: main.missing + bg.missing,
        logPerStatement: usage.perStatement,
      },
      notes: [
        `server CPU ${usage.cpu.toFixed(0)}% of a core over the typing phase; load generators ${usage.loadgenCpu.toFixed(0)}%`,
        ...(usage.log ? [usage.log] : []),
        ...(late.length ? [`${late.length} clients had not caught up 20 s after typing stopped`] : []),
        ...(collected.disconnects ? [`${collected.disconnects} client connections were closed during the run`] : []),
      ],
    };
  },
};
