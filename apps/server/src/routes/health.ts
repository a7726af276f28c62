import { readMigrations } from '@debrief/db';
import { Hono } from 'hono';
import { readinessChecker } from '../commands/readinessChecker.ts';
import type { AppDeps } from './deps.ts';

export function healthRoutes({ db, logger, metrics, scaleOut }: AppDeps) {
  const migrations = readMigrations();
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/metrics', async (c) =>
      c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
    )
    .get('/readyz', async (c) => {
      const readiness = await readinessChecker(db, migrations);
      // Without Redis a process still serves its own clients durably (the others catch up from
      // the log), so it stays ready and says it is alone.
      const redis = scaleOut ? { redis: scaleOut.connected() ? 'connected' : 'unreachable' } : {};
      if (readiness.ready) return c.json({ status: 'ready', database: readiness.database, ...redis });
      if (readiness.status === 'migrations_pending') {
        return c.json({ status: readiness.status, pending: readiness.pending }, 503);
      }
      logger.warn({ err: readiness.error }, 'readiness check failed');
      return c.json({ status: readiness.status }, 503);
    });
}
