import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from './protocol.ts';

const WORKER = fileURLToPath(new URL('../loadgen/worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** One load-generator process, driven by request/response over IPC. */
export class LoadGenerator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private exited = false;

  private constructor(
    readonly index: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: Response | { ready: true }) => {
      if (!('id' in message)) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`load generator ${index}: ${message.error}`));
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      for (const waiter of this.pending.values())
        waiter.reject(new Error(`load generator ${index} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  static async start(index: number): Promise<LoadGenerator> {
    const child = spawn(process.execPath, ['--max-old-space-size=6144', '--import', 'tsx', WORKER], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('load generator did not start within 30 s')), 30_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`load generator exited (${code}) while starting`));
      });
    });
    return new LoadGenerator(index, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  request<T>(request: Request, timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`load generator ${this.index} is gone`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`load generator ${this.index}: ${request.op} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, request });
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request({ op: 'exit' }, 5_000);
    } catch {
      // fall through to the kill
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }
}

/** Several load generators; work is spread round-robin. */
export class LoadGenerators {
  private constructor(readonly all: LoadGenerator[]) {}

  static async start(count: number): Promise<LoadGenerators> {
    return new LoadGenerators(await Promise.all(Array.from({ length: count }, (_, i) => LoadGenerator.start(i))));
  }

  get pids(): number[] {
    return this.all.map((g) => g.pid);
  }

  /** The generator that holds the i-th item of a round-robin split. */
  at(i: number): LoadGenerator {
    return this.all[i % this.all.length] as LoadGenerator;
  }

  /** Splits items round-robin: one list per generator. */
  split<T>(items: T[]): T[][] {
    const lists: T[][] = this.all.map(() => []);
    items.forEach((item, i) => {
      lists[i % lists.length]?.push(item);
    });
    return lists;
  }

  /** Sends each generator its own request (skipping generators given null) and collects the answers. */
  async each<T>(make: (generator: LoadGenerator, index: number) => Request | null, timeoutMs?: number): Promise<T[]> {
    const answers = await Promise.all(
      this.all.map((generator, i) => {
        const request = make(generator, i);
        return request ? generator.request<T>(request, timeoutMs) : Promise.resolve(null);
      }),
    );
    return answers.filter((a): a is Awaited<T> => a !== null) as T[];
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((g) => g.close()));
  }
}
