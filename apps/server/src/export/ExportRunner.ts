import { MessageChannel } from 'node:worker_threads';
import type { ExportInput } from '@debrief/export';
import { ExportError, type ExportFormat, type ExportStep } from '@debrief/export/contract';
import { Piscina } from 'piscina';
import { typeScriptWorkerExecArgv } from '../typeScriptWorkers.ts';
import type { ExportOutcome, ExportTask } from './exportTask.ts';

const TASK = new URL('./exportTask.ts', import.meta.url).href;

export interface ExportRunnerOptions {
  /** Longest one export may run. */
  timeoutMs: number;
  /** Heap (V8 old generation) of each worker, in MB. */
  maxMemoryMb: number;
  /** Exports rendering at once. */
  threads?: number;
}

/**
 * Renders exports in worker threads, never on the event loop: the Typst compile is synchronous and
 * a 100-page briefing takes a second or more. A render past the time or memory limit ends its
 * worker and fails its job with a message; the pool starts a fresh worker for the next one.
 */
export class ExportRunner {
  readonly #pool: Piscina<ExportTask, ExportOutcome>;
  readonly #options: ExportRunnerOptions;

  constructor(options: ExportRunnerOptions) {
    this.#options = options;
    this.#pool = new Piscina({
      filename: TASK,
      execArgv: typeScriptWorkerExecArgv(),
      minThreads: 0,
      maxThreads: options.threads ?? 1,
      idleTimeout: 120_000,
      resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
    });
  }

  async run(input: ExportInput, format: ExportFormat, onStep: (step: ExportStep) => void): Promise<Uint8Array> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (step: ExportStep) => onStep(step));
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    try {
      const outcome = await this.#pool.run(
        { input, format, progress: port2 },
        { transferList: [port2] as never, signal },
      );
      if (!outcome.ok) throw new ExportError(outcome.code, outcome.message);
      return outcome.file;
    } catch (error) {
      if (signal.aborted) {
        throw new ExportError(
          'export_failed',
          `The export took longer than ${this.#options.timeoutMs / 1000} s and was stopped.`,
        );
      }
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new ExportError(
          'export_failed',
          `The export needed more than ${this.#options.maxMemoryMb} MB and was stopped.`,
        );
      }
      throw error;
    } finally {
      port1.close();
    }
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
