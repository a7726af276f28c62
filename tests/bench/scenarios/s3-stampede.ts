import type { BuildResult, ClientSpec, ConnectResult, JoinResult, WaitResult } from '../lib/protocol.ts';
import { distribution } from '../lib/stats.ts';
import { now } from '../lib/time.ts';
import { col, fmtBytes, peakRss, type Scenario, Window } from './common.ts';

/** Scenario 3: many clients open one big stored briefing at the same moment, on a cold server. */
export const stampede: Scenario = {
  number: 3,
  title: 'Stampede: many clients open one big briefing at once',
  describe: ({ stampede: s }) =>
    `A briefing of about ${fmtBytes(s.docBytes)} (encoded Yjs state: paragraphs of prose with bold ranges) is ` +
    `written and stored, the server is restarted (graceful stop, so the document is cold), and ${s.clients} clients ` +
    'open it at the same moment. Time is per client, from creating its provider to holding the whole document; ' +
    '"all" is the slowest client. Peak RSS is that of the restarted process.',
  columns: [
    col('p50', 'time to document p50 (ms)', 'lower', 0),
    col('p95', 'p95 (ms)', 'lower', 0),
    col('all', 'all clients have it (ms)', 'lower', 0),
    col('cpu', 'server CPU (% of a core)', null, 0),
    col('eldP99', 'event-loop delay p99 (ms)', 'lower', 0),
    col('eldMax', 'event-loop delay max (ms)', 'lower', 0),
    col('peakRss', 'peak RSS (MiB)', 'lower', 0),
    col('bytes', 'document (bytes)', null, 0),
    col('failed', 'clients without it', null, 0),
  ],
  budgetMs: ({ stampede: s }) => 180_000 + s.clients * 500,
  async run(context) {
    const { server, generators, sizes } = context;
    const s = sizes.stampede;
    const [room] = await server.createRooms(1, generators);
    const builder: ClientSpec = { key: 'builder', room: room as string, awareness: false };
    const checker: ClientSpec = { key: 'checker', room: room as string, awareness: false };
    const first = generators.at(0);
    const second = generators.at(1);
    await first.request<ConnectResult>({ op: 'connect', target: server.target, clients: [builder], timeoutMs: 20_000 });
    context.log(`building a ${fmtBytes(s.docBytes)} briefing`);
    const built = await first.request<BuildResult>(
      { op: 'build', key: 'builder', bytes: s.docBytes, chunkBytes: 256_000, timeoutMs: 120_000 },
      180_000,
    );
    const clocks = { [String(built.clientId)]: built.clock };
    // Another client receiving everything: stored (Debrief: before broadcast; peers: queued for storage).
    await second.request<ConnectResult>({
      op: 'connect',
      target: server.target,
      clients: [checker],
      timeoutMs: 60_000,
    });
    const check = await second.request<WaitResult>({
      op: 'waitFor',
      keys: ['checker'],
      clocks: { [room as string]: clocks },
      timeoutMs: 60_000,
    });
    if (!check.ok) throw new Error('a second client never received the whole document');
    await generators.each(() => ({ op: 'destroy' }));
    await server.restart('graceful');

    context.log(`${s.clients} clients open it at once`);
    const joiners: ClientSpec[] = Array.from({ length: s.clients }, (_, i) => ({
      key: `j${i}`,
      room: room as string,
      awareness: false,
    }));
    const parts = generators.split(joiners);
    const window = new Window(context);
    const startAt = now() + 300;
    const answers = await generators.each<JoinResult>(
      (_, i) =>
        parts[i]?.length
          ? {
              op: 'join',
              target: server.target,
              clients: parts[i] ?? [],
              startAt,
              clocks,
              timeoutMs: 120_000,
              keep: false,
            }
          : null,
      180_000,
    );
    const usage = await window.close();
    const times = answers.flatMap((a) => a.ms).filter((ms) => Number.isFinite(ms));
    const done = answers.flatMap((a) => a.doneAt).filter((t) => Number.isFinite(t));
    const d = distribution(times);
    const failed = s.clients - times.length;
    return {
      metrics: {
        p50: d.p50,
        p95: d.p95,
        all: failed === 0 ? Math.max(...done) - startAt : Number.NaN,
        cpu: usage.cpu,
        eldP99: usage.eldP99,
        eldMax: usage.eldMax,
        peakRss: peakRss(context),
        bytes: answers[0]?.bytes ?? built.bytes,
        failed,
      },
      notes: [`load generators used ${usage.loadgenCpu.toFixed(0)}% of a core while the clients joined`],
    };
  },
};
