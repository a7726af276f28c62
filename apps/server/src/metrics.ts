import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LogWriterObserver } from './collab/UpdateLogWriter.ts';

/** Live state the gauges read at scrape time. */
export interface LiveState {
  connections(): number;
  loadedDocuments(): number;
  unloadableDocuments(): number;
}

/**
 * Prometheus metrics of one server instance (its own registry, so several servers can run in
 * one test process). Gauges that mirror live state read it at scrape time, once `watch` gave it.
 */
export class Metrics implements LogWriterObserver {
  readonly registry = new Registry();
  readonly logBatchSize = new Histogram({
    name: 'debrief_log_batch_updates',
    help: 'Updates written per update-log statement (group commit)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });
  readonly logWriteSeconds = new Histogram({
    name: 'debrief_log_write_seconds',
    help: 'Time to commit one update-log batch',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly logWriteFailures = new Counter({
    name: 'debrief_log_write_failures_total',
    help: 'Update-log batches that failed and were retried',
    registers: [this.registry],
  });
  readonly messagesReceived = new Counter({
    name: 'debrief_ws_messages_received_total',
    help: 'WebSocket frames received from clients',
    registers: [this.registry],
  });
  readonly connectionsClosed = new Counter({
    name: 'debrief_ws_closes_total',
    help: 'WebSocket connections closed, by close code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  readonly updatesChecked = new Counter({
    name: 'debrief_ws_updates_checked_total',
    help: 'Client document updates by verdict: apply, refuse (connection closed 4400), missing (resync asked)',
    labelNames: ['verdict'],
    registers: [this.registry],
  });
  readonly awarenessRefused = new Counter({
    name: 'debrief_ws_awareness_refused_total',
    help: 'Awareness updates not applied: invalid (connection closed 4400) or foreign_id (dropped)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly unhandledErrors = new Counter({
    name: 'debrief_unhandled_errors_total',
    help: 'Faults caught by a last-resort guard instead of ending the process (each is also logged as an error)',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'debrief_' });
  }

  batchWritten(updates: number, seconds: number): void {
    this.logBatchSize.observe(updates);
    this.logWriteSeconds.observe(seconds);
  }

  writeFailed(): void {
    this.logWriteFailures.inc();
  }

  /** Registers the gauges of live state (once the parts that hold it exist). */
  watch(live: LiveState): void {
    new Gauge({
      name: 'debrief_ws_connections',
      help: 'Open collaboration WebSocket connections',
      registers: [this.registry],
      collect() {
        this.set(live.connections());
      },
    });
    new Gauge({
      name: 'debrief_documents_loaded',
      help: 'Briefing documents held in memory',
      registers: [this.registry],
      collect() {
        this.set(live.loadedDocuments());
      },
    });
    new Gauge({
      name: 'debrief_documents_unloadable',
      help: 'Briefings whose stored history failed the checks at their last load (npm run cli -- doc check)',
      registers: [this.registry],
      collect() {
        this.set(live.unloadableDocuments());
      },
    });
  }
}
