import { createWriteStream, type WriteStream } from 'node:fs';
import { type ChildServer, spawnServer } from '@debrief/server/testing';

export interface Crash {
  /** Milliseconds since the first start. */
  atMs: number;
  exit: number | string | null;
  /** The error line of what the process printed on its way out, and where it was thrown. */
  error: string;
}

const STDERR_KEPT = 64 * 1024;

/** The thrown error and its first stack frame from a dying process's stderr. */
function crashSummary(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  const at = lines.findIndex((line) => /^[\w.]*(Error|Exception)\b|^Uncaught\b/.test(line));
  if (at < 0) return lines.filter(Boolean).slice(-3).join(' | ') || '(nothing on stderr)';
  const frame = lines.slice(at + 1).find((line) => line.startsWith('at ') && !line.includes('node:'));
  return frame ? `${lines[at]} (${frame})` : lines[at]!;
}

/**
 * The real server in a child process, watched: an exit nobody asked for is recorded as a crash,
 * with what the process printed, and the server is started again on the same port and data
 * directory (up to `maxRespawns` times) so one fuzz run can find more than the first crash. The
 * stock clients reconnect to the same address by themselves.
 */
export class WatchedServer {
  readonly crashes: Crash[] = [];
  private child!: ChildServer;
  private stderr = '';
  private stopping = false;
  private respawning: Promise<void> | null = null;
  private gaveUp = false;
  private readonly startedAt = Date.now();
  /** FUZZ_SERVER_LOG=<file> keeps everything the server printed, for a failure's post-mortem. */
  private readonly log: WriteStream | null = process.env.FUZZ_SERVER_LOG
    ? createWriteStream(process.env.FUZZ_SERVER_LOG)
    : null;

  private constructor(
    private readonly env: Record<string, string>,
    private readonly maxRespawns: number,
  ) {}

  static async start(env: Record<string, string>, maxRespawns: number): Promise<WatchedServer> {
    const server = new WatchedServer(env, maxRespawns);
    await server.spawn(env);
    return server;
  }

  get url(): string {
    return this.child.url;
  }

  get port(): number {
    return Number(new URL(this.child.url).port);
  }

  /** False once the server died for good (respawns used up) or was stopped. */
  get alive(): boolean {
    return this.child.process.exitCode === null && this.child.process.signalCode === null;
  }

  /** Resolves once a respawn under way has finished (at once when none is). */
  async ready(): Promise<void> {
    while (this.respawning) await this.respawning;
  }

  /** True once the server died and no respawn is left or one failed. */
  get exhausted(): boolean {
    return this.gaveUp;
  }

  /** Stops the server with SIGTERM, as an orchestrator would; answers its exit code. */
  async stop(): Promise<number | string | null> {
    await this.ready();
    this.stopping = true;
    if (this.alive) this.child.process.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
    const exit = await Promise.race([this.child.exited, timeout]);
    if (exit === 'timeout') await this.child.kill();
    return exit;
  }

  /** Starts again on the same data directory (after `stop`). */
  async restart(): Promise<void> {
    this.stopping = false;
    await this.spawn({ ...this.env, PORT: String(this.port) });
  }

  async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok;
    } catch {
      return false;
    }
  }

  /** Sum of a Prometheus counter over its labels; 0 when the server does not export it. */
  async metric(name: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      const sample = /^(\w+)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
      if (sample?.[1] === name) sum += Number(sample[2]);
    }
    return sum;
  }

  private async spawn(env: Record<string, string>): Promise<void> {
    this.stderr = '';
    const child = await spawnServer(env);
    this.child = child;
    // spawnServer keeps everything the child prints and scans all of it again on every chunk, to
    // find `listening`; past that point it is only cost, growing with the log.
    for (const stream of [child.process.stdout, child.process.stderr]) stream?.removeAllListeners('data');
    child.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_KEPT);
      this.log?.write(chunk);
    });
    if (this.log) child.process.stdout?.pipe(this.log, { end: false });
    else child.process.stdout?.resume();
    void child.exited.then((exit) => {
      if (this.stopping || this.child !== child) return;
      this.crashes.push({ atMs: Date.now() - this.startedAt, exit, error: crashSummary(this.stderr) });
      if (this.crashes.length > this.maxRespawns) this.gaveUp = true;
      else this.respawning = this.respawn();
    });
  }

  private async respawn(): Promise<void> {
    try {
      await this.spawn({ ...this.env, PORT: String(this.port) });
    } catch (error) {
      this.crashes.push({ atMs: Date.now() - this.startedAt, exit: null, error: `respawn failed: ${error}` });
      this.gaveUp = true;
    } finally {
      this.respawning = null;
    }
  }
}
