import type { Logger } from 'pino';
import type { Metrics } from './metrics.ts';

/**
 * The last line of defence: a fault that escaped every handler is logged as an error and counted
 * (`debrief_unhandled_errors_total`), and the process goes on serving everyone else. Each handler
 * closer to the fault (a connection, a request, a document) still handles what it expects; this
 * only turns "one bad input ends the service for everybody" into an alert. The fuzz tests assert
 * the counter stays at zero, so nothing is swallowed silently.
 */
export function installProcessGuard(logger: Logger, metrics: Metrics): void {
  process.on('uncaughtException', (error) => {
    metrics.unhandledErrors.inc({ kind: 'uncaught_exception' });
    logger.error({ err: error }, 'uncaught exception; the process keeps running');
  });
  process.on('unhandledRejection', (reason) => {
    metrics.unhandledErrors.inc({ kind: 'unhandled_rejection' });
    logger.error({ err: reason }, 'unhandled promise rejection; the process keeps running');
  });
}
