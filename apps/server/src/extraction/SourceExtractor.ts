import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { type SourceDraft, SourceError } from '@debrief/sources';
import type { PrepareSourceInput } from '@debrief/sources/server';
import { Piscina } from 'piscina';
import { AppError } from '../errors.ts';
import { typeScriptWorkerExecArgv } from '../typeScriptWorkers.ts';
import type { PrepareSourceOutcome, PrepareSourceTask } from './prepareSourceTask.ts';

const TASK = new URL('./prepareSourceTask.ts', import.meta.url).href;

export interface SourceExtractorOptions {
  /** Longest one extraction may run, counted from the moment a worker starts it. */
  timeoutMs: number;
  /** Heap (V8 old generation) of each worker, in MB. */
  maxMemoryMb: number;
  /** Extractions running at once; one per core by default, at most four. */
  threads?: number;
  /** Extractions waiting for a worker; one more is refused with `server_busy`. */
  maxQueue?: number;
}

/**
 * Extracts sources (prepareSource: HTML, Markdown, text; prepareDocumentSource: PDF, DOCX) in a pool of worker
 * threads, never on the event loop: a page that takes minutes to parse must not stall every other
 * request. A task past the time limit is aborted, which terminates its worker; a task past the
 * memory limit ends its worker the same way. Both answer `source_too_complex`, and the pool
 * starts fresh workers on demand.
 */
export class SourceExtractor {
  readonly #pool: Piscina<PrepareSourceTask, PrepareSourceOutcome>;
  readonly #timeoutMs: number;
  readonly #maxMemoryMb: number;
  readonly #maxQueue: number;
  #running = 0;

  constructor(options: SourceExtractorOptions) {
    const threads = options.threads ?? Math.min(4, availableParallelism());
    this.#timeoutMs = options.timeoutMs;
    this.#maxMemoryMb = options.maxMemoryMb;
    this.#maxQueue = options.maxQueue ?? threads * 8;
    this.#pool = new Piscina({
      filename: TASK,
      execArgv: typeScriptWorkerExecArgv(),
      // No idle workers: a server (or a test) that imports nothing starts none.
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
    });
  }

  async prepare(input: PrepareSourceInput): Promise<SourceDraft> {
    if (this.#pool.queueSize >= this.#maxQueue) {
      throw new AppError('server_busy', 'The server is importing too many sources at once; try again in a moment.');
    }
    const controller = new AbortController();
    const { port1: started, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    started.once('message', () => {
      running = true;
      this.#running++;
      timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    });
    try {
      const outcome = await this.#pool.run(
        { input, started: port2 },
        { transferList: [port2] as never, signal: controller.signal },
      );
      if (!outcome.ok) throw new SourceError(outcome.code, outcome.message);
      return outcome.draft;
    } catch (error) {
      if (controller.signal.aborted) {
        throw new SourceError(
          'source_too_complex',
          `The source took longer than ${seconds(this.#timeoutMs)} to extract and was stopped; it cannot be imported.`,
        );
      }
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new SourceError(
          'source_too_complex',
          `The source needed more than ${this.#maxMemoryMb} MB of memory to extract and was stopped; it cannot be imported.`,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      started.close();
      if (running) this.#running--;
    }
  }

  /** Extractions a worker has started and not finished. */
  get running(): number {
    return this.#running;
  }

  /** Ends every worker; running extractions are rejected. */
  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
