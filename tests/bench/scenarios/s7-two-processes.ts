import { Socket } from 'node:net';
import { CpuWindow } from '../lib/proc.ts';
import type { ClientSpec, CollectResult, ConnectResult, Target, TypeResult } from '../lib/protocol.ts';
import { fanOut } from '../lib/stats.ts';
import { now } from '../lib/time.ts';
import { col, drain, finalClocks, type Scenario, seconds, Window } from './common.ts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2_000, () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(Number(port || 6379), hostname);
  });
}

/**
 * Scenario 7: scale-out. Debrief on PostgreSQL as two processes sharing live documents through
 * Redis; the writer and half the observers on the first process, the other half on the second.
 * Both halves are measured in the same run, so the ratio is the cost of crossing processes
 * (commit, publish, receive, apply, send) against the same work within one.
 */
export const twoProcesses: Scenario = {
  number: 7,
  title: 'Two processes: observers split across two Debrief processes (PostgreSQL + Redis)',
  appliesTo: (name) => name === 'debrief-pg',
  describe: ({ broadcast: s }) =>
    `Debrief on PostgreSQL as two processes with REDIS_URL (${REDIS_URL}). 1 writer on process 1 typing ` +
    `${s.rate} updates/s for ${seconds(s.durationMs)}; ${s.observers} observers of the same briefing, half on ` +
    'process 1 (same process) and half on process 2 (crossing through Redis). Fan-out is measured for each half ' +
    'in the same run; the ratio columns are process 2 ÷ process 1. Only Debrief runs this scenario.',
  columns: [
    col('sameP50', 'same process p50 (ms)', null, 1),
    col('sameP99', 'same process p99 (ms)', null, 1),
    col('crossP50', 'other process p50 (ms)', null, 1),
    col('crossP95', 'other process p95 (ms)', null, 1),
    col('crossP99', 'other process p99 (ms)', null, 1),
    col('ratioP50', 'cost of crossing, p50 (×)', null, 2),
    col('ratioP99', 'cost of crossing, p99 (×)', null, 2),
    col('cpu1', 'process 1 CPU (% of a core)', null, 0),
    col('cpu2', 'process 2 CPU (% of a core)', null, 0),
    col('missing', 'undelivered', null, 0),
  ],
  debriefEnv: { REDIS_URL },
  budgetMs: ({ broadcast: s }) => s.durationMs + 150_000,
  async run(context) {
    if (!(await redisAnswers(REDIS_URL))) throw new Error(`no Redis at ${REDIS_URL} (BENCH_REDIS_URL)`);
    const { server, generators, sizes } = context;
    const s = sizes.broadcast;
    const sibling = await server.startSibling();
    try {
      const [room] = await server.createRooms(1, generators);
      const writer: ClientSpec = { key: 'writer', room: room as string, awareness: true, section: 1, seed: 42 };
      const half = Math.ceil(s.observers / 2);
      const observers = (prefix: string, count: number): ClientSpec[] =>
        Array.from({ length: count }, (_, i) => ({ key: `${prefix}${i}`, room: room as string, awareness: false }));
      const same = generators.split(observers('same', half));
      const cross = generators.split(observers('cross', s.observers - half));
      await generators.at(0).request<ConnectResult>({
        op: 'connect',
        target: server.target,
        clients: [writer],
        timeoutMs: 20_000,
      });
      const connect = async (parts: ClientSpec[][], target: Target) => {
        const answers = await generators.each<ConnectResult>((_, i) =>
          parts[i]?.length ? { op: 'connect', target, clients: parts[i] ?? [], timeoutMs: 90_000 } : null,
        );
        const failed = answers.flatMap((a) => a.failed);
        if (failed.length) throw new Error(`${failed.length} observers did not connect`);
      };
      await connect(same, server.target);
      await connect(cross, sibling.target);

      context.log(`1 writer → ${half} observers on process 1 + ${s.observers - half} on process 2`);
      const window = new Window(context);
      const secondCpu = new CpuWindow([sibling.pid]);
      const typed = await generators
        .at(0)
        .request<TypeResult>(
          { op: 'type', keys: ['writer'], startAt: now() + 300, durationMs: s.durationMs, rate: s.rate },
          s.durationMs + 60_000,
        );
      const keysOf = (parts: ClientSpec[][]) => parts.map((part) => part.map((c) => c.key));
      const late = [
        ...(await drain(generators, keysOf(same), finalClocks([typed]), 15_000)),
        ...(await drain(generators, keysOf(cross), finalClocks([typed]), 15_000)),
      ];
      const cpu2 = secondCpu.percent();
      const usage = await window.close();
      const collect = async (parts: ClientSpec[][], extra: string[]) => {
        const answers = await generators.each<CollectResult>((_, i) => ({
          op: 'collect',
          keys: [...(parts[i] ?? []).map((c) => c.key), ...(i === 0 ? extra : [])],
        }));
        return {
          senders: answers.flatMap((a) => a.senders),
          observers: answers.flatMap((a) => a.observers),
        };
      };
      const near = await collect(same, ['writer']);
      const far = await collect(cross, []);
      const within = fanOut(near.senders, near.observers);
      const across = fanOut(near.senders, far.observers);
      return {
        metrics: {
          sameP50: within.all.p50,
          sameP99: within.all.p99,
          crossP50: across.all.p50,
          crossP95: across.all.p95,
          crossP99: across.all.p99,
          ratioP50: across.all.p50 / within.all.p50,
          ratioP99: across.all.p99 / within.all.p99,
          cpu1: usage.cpu,
          cpu2,
          missing: within.missing + across.missing,
        },
        notes: [
          `load generators used ${usage.loadgenCpu.toFixed(0)}% of a core while the writer typed`,
          ...(usage.log ? [usage.log] : []),
          ...(late.length ? [`${late.length} observers had not caught up 15 s after the writer stopped`] : []),
        ],
      };
    } finally {
      await sibling.stop();
    }
  },
};
