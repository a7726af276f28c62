import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LogWriterObserver } from './collab/UpdateLogWriter.ts';

/** Live state the gauges read at scrape time. */
/** Live state of the scale-out fan-out, read at scrape time. */
export interface FanoutState {
  connected(): boolean;
  presenceEntries(): number;
}

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

  readonly updatesDurable = new Counter({
    name: 'debrief_updates_durable_total',
    help: 'Updates committed to the log by this process (rate() gives updates per second)',
    registers: [this.registry],
  });
  readonly updateAppendSeconds = new Histogram({
    name: 'debrief_update_append_seconds',
    help: 'Time from an update entering the log writer to its commit (group commit wait included)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly documentTooLarge = new Counter({
    name: 'debrief_ws_updates_too_large_total',
    help: 'Client updates refused because the document would outgrow MAX_DOCUMENT_BYTES',
    registers: [this.registry],
  });
  readonly connectionsRefused = new Counter({
    name: 'debrief_ws_connections_refused_total',
    help: 'Connections refused by a connection cap (4409), by which cap',
    labelNames: ['limit'],
    registers: [this.registry],
  });
  readonly redisPublished = new Counter({
    name: 'debrief_redis_published_total',
    help: 'Scale-out messages published on Redis, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly redisPublishFailures = new Counter({
    name: 'debrief_redis_publish_failures_total',
    help: 'Scale-out messages that could not be published (Redis unreachable); the others catch up from the log',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly redisReceived = new Counter({
    name: 'debrief_redis_received_total',
    help: 'Scale-out messages received from other processes, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly redisDuplicates = new Counter({
    name: 'debrief_redis_duplicate_updates_total',
    help: 'Updates received from Redis that this process already had (ignored)',
    registers: [this.registry],
  });
  readonly redisMalformed = new Counter({
    name: 'debrief_redis_malformed_total',
    help: 'Scale-out messages that could not be decoded (dropped)',
    registers: [this.registry],
  });
  readonly remoteUpdatesApplied = new Counter({
    name: 'debrief_remote_updates_applied_total',
    help: 'Updates committed by another process and applied here',
    registers: [this.registry],
  });
  readonly logGaps = new Counter({
    name: 'debrief_log_gaps_total',
    help: 'Holes in a briefing’s log sequence that lasted and were filled from the database',
    registers: [this.registry],
  });
  readonly rowsCaughtUp = new Counter({
    name: 'debrief_log_rows_caught_up_total',
    help: 'Log rows read from the database because they did not arrive through Redis',
    registers: [this.registry],
  });
  readonly catchUpSeconds = new Histogram({
    name: 'debrief_catch_up_seconds',
    help: 'Time to read and apply what a loaded briefing lacked from the log',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly processInfo = new Gauge({
    name: 'debrief_process_info',
    help: 'This server process’s id (in its logs as processId)',
    labelNames: ['process_id'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'debrief_' });
  }

  batchWritten(updates: number, seconds: number): void {
    this.logBatchSize.observe(updates);
    this.logWriteSeconds.observe(seconds);
  }

  updateAppended(seconds: number): void {
    this.updatesDurable.inc();
    this.updateAppendSeconds.observe(seconds);
  }

  writeFailed(): void {
    this.logWriteFailures.inc();
  }

  /** Registers the gauges of the scale-out fan-out (only when REDIS_URL is set). */
  watchFanout(fanout: FanoutState): void {
    new Gauge({
      name: 'debrief_redis_connected',
      help: '1 while this process publishes and receives through Redis; 0 while it serves its own clients alone',
      registers: [this.registry],
      collect() {
        this.set(fanout.connected() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'debrief_presence_entries',
      help: 'Presence (awareness) states held for the loaded briefings, this process’s and other processes’',
      registers: [this.registry],
      collect() {
        this.set(fanout.presenceEntries());
      },
    });
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
