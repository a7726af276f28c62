import type { Logger } from 'pino';
import type { AppendEntry, DocumentStore } from './DocumentStore.ts';

interface Pending extends AppendEntry {
  queuedAt: number;
  resolve(id: bigint): void;
  reject(error: Error): void;
}

export class BriefingGoneError extends Error {
  readonly code = 'briefing_not_found';
}

/** What the writer reports about itself (implemented by the server's metrics). */
export interface LogWriterObserver {
  batchWritten(updates: number, seconds: number): void;
  /** One update committed, `seconds` after it was handed to the writer. */
  updateAppended(seconds: number): void;
  writeFailed(): void;
}

export interface UpdateLogWriterOptions {
  /** Most updates one statement carries. */
  maxBatch?: number;
  /** First pause after a failed write; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/**
 * Group commit for the update log. Appends issued in the same event-loop turn, or while a write is
 * in flight, go out together in the next single statement: no timer, so an idle server writes at
 * once and a busy one batches as much as the database's latency allows.
 * Appends resolve in the order they were issued. A write that fails for a transient reason
 * (database down) is retried until it succeeds; nothing is dropped. Only an update for a briefing
 * that no longer exists is rejected.
 */
export class UpdateLogWriter {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly maxBatch: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    options: UpdateLogWriterOptions = {},
    private readonly observer?: LogWriterObserver,
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 50;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  }

  /** Resolves with the update's seq in its briefing's log once committed. */
  append(briefingId: string, data: Uint8Array): Promise<bigint> {
    return new Promise((resolve, reject) => {
      this.queue.push({ briefingId, data, queuedAt: performance.now(), resolve, reject });
      this.flushing ??= this.flushSoon();
    });
  }

  /**
   * Starts the write one macrotask later: every frame read in the same I/O phase of the event
   * loop then shares the statement, instead of the first paying for one alone.
   */
  private async flushSoon(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return this.flush();
  }

  /** Resolves once everything appended so far is written. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  get queued(): number {
    return this.queue.length;
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.writeBatch(batch);
      }
    } finally {
      this.flushing = null;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let delay = this.retryDelayMs;
    for (;;) {
      try {
        const started = performance.now();
        const seqs = await this.store.append(batch);
        const committed = performance.now();
        this.observer?.batchWritten(batch.length, (committed - started) / 1000);
        batch.forEach((entry, i) => {
          const seq = seqs[i];
          // A deleted briefing must not hold up every other document's updates in the same batch.
          if (seq === null || seq === undefined) {
            entry.reject(new BriefingGoneError(`briefing ${entry.briefingId} no longer exists`));
          } else {
            this.observer?.updateAppended((committed - entry.queuedAt) / 1000);
            entry.resolve(seq);
          }
        });
        return;
      } catch (error) {
        this.observer?.writeFailed();
        this.logger.error({ err: error, batch: batch.length, retryInMs: delay }, 'update log write failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.maxRetryDelayMs);
      }
    }
  }
}
