import type { LoadGenerators } from '../lib/loadgen.ts';
import type { ScenarioNumber, ServerName, Sizes } from '../lib/options.ts';
import { CpuWindow, memory } from '../lib/proc.ts';
import type { Clocks, CollectResult, TypeResult, WaitResult } from '../lib/protocol.ts';
import type { LogCounters, Server } from '../lib/servers.ts';
import { now } from '../lib/time.ts';

export interface Column {
  key: string;
  label: string;
  /** Which way is better; null for facts that are not a score. */
  better: 'lower' | 'higher' | null;
  digits: number;
  /** Whether Debrief's ratio to each peer is shown for this column. */
  ratio: boolean;
  /** Custom cell text. */
  format?: (metrics: Metrics) => string;
}

export interface RunContext {
  server: Server;
  generators: LoadGenerators;
  sizes: Sizes;
  log(message: string): void;
  /** Measured phases [start, end] on the monotonic clock (ms), e.g. to cut a CPU profile to them. */
  windows: [number, number][];
}

export type Metrics = Record<string, number>;

export interface ScenarioResult {
  server: ServerName;
  metrics: Metrics;
  notes: string[];
  error?: string;
}

export interface Scenario {
  number: ScenarioNumber;
  title: string;
  /** What the scenario does at these sizes (one paragraph, figures from `sizes`). */
  describe(sizes: Sizes): string;
  columns: Column[];
  /** The servers this scenario measures (all when absent). */
  appliesTo?(name: ServerName): boolean;
  /** Extra environment for Debrief in this scenario. */
  debriefEnv?: Record<string, string>;
  /** Upper bound for one server's run (ms); the run is abandoned after it. */
  budgetMs(sizes: Sizes): number;
  run(context: RunContext): Promise<{ metrics: Metrics; notes: string[] }>;
}

export const col = (
  key: string,
  label: string,
  better: Column['better'],
  digits = 0,
  ratio = better !== null,
): Column => ({ key, label, better, digits, ratio });

/** Server CPU, load-generator CPU and server event-loop delay over one window. */
export class Window {
  private readonly serverCpu: CpuWindow;
  private readonly loadCpu: CpuWindow;
  private readonly startedAt = now();
  private readonly log: Promise<LogCounters | null>;

  constructor(private readonly context: RunContext) {
    this.serverCpu = new CpuWindow([context.server.pid]);
    this.loadCpu = new CpuWindow(context.generators.pids);
    context.server.resetEld();
    this.log = context.server.logCounters();
  }

  async close(): Promise<{
    cpu: number;
    loadgenCpu: number;
    eldP99: number;
    eldMax: number;
    log: string | null;
    /** Updates per update-log statement and ms per statement in the window (NaN without /metrics). */
    perStatement: number;
    msPerStatement: number;
  }> {
    const cpu = this.serverCpu.percent();
    const loadgenCpu = this.loadCpu.percent();
    this.context.windows.push([this.startedAt, now()]);
    const eld = await this.context.server.readEld();
    const before = await this.log;
    const after = before ? await this.context.server.logCounters() : null;
    let log: string | null = null;
    let perStatement = Number.NaN;
    let msPerStatement = Number.NaN;
    if (before && after && after.batches > before.batches) {
      const batches = after.batches - before.batches;
      const updates = after.updates - before.updates;
      const seconds = after.writeSeconds - before.writeSeconds;
      perStatement = updates / batches;
      msPerStatement = (1000 * seconds) / batches;
      log =
        `update log (from the server's /metrics): ${batches} statements for ${updates} updates, ` +
        `${(updates / batches).toFixed(1)} updates per statement, ${((1000 * seconds) / batches).toFixed(1)} ms per statement`;
    }
    return {
      cpu,
      loadgenCpu,
      eldP99: eld?.p99 ?? Number.NaN,
      eldMax: eld?.max ?? Number.NaN,
      log,
      perStatement,
      msPerStatement,
    };
  }
}

export function peakRss(context: RunContext): number {
  return memory(context.server.pid).peakRssMiB;
}

/** Merges what every generator collected. */
export async function collectAll(generators: LoadGenerators): Promise<CollectResult> {
  const parts = await generators.each<CollectResult>(() => ({ op: 'collect' }));
  return {
    senders: parts.flatMap((p) => p.senders),
    observers: parts.flatMap((p) => p.observers),
    presenceSenders: parts.flatMap((p) => p.presenceSenders),
    presenceObservers: parts.flatMap((p) => p.presenceObservers),
    disconnects: parts.reduce((sum, p) => sum + p.disconnects, 0),
  };
}

/** Per room, the clock each typing client ended at: what every client of the room must reach. */
export function finalClocks(typed: TypeResult[]): Record<string, Clocks> {
  const clocks: Record<string, Clocks> = {};
  for (const part of typed) {
    for (const c of part.clients) {
      const room = clocks[c.room] ?? {};
      room[String(c.clientId)] = c.clock;
      clocks[c.room] = room;
    }
  }
  return clocks;
}

/** Waits (bounded) until every client on every generator holds `clocks`; answers the keys that did not. */
export async function drain(
  generators: LoadGenerators,
  keysPerGenerator: string[][],
  clocks: Record<string, Clocks>,
  timeoutMs: number,
): Promise<string[]> {
  const answers = await generators.each<WaitResult>((_, i) => {
    const keys = keysPerGenerator[i] ?? [];
    return keys.length ? { op: 'waitFor', keys, clocks, timeoutMs } : null;
  }, timeoutMs + 10_000);
  return answers.flatMap((a) => a.missing);
}

export const fmtBytes = (bytes: number): string =>
  bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.round(bytes / 1000)} kB`;

export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
