import { pendingMigrations, readMigrations } from '@debrief/db';
import { Hono } from 'hono';
import type { AppDeps } from './deps.ts';

export function healthRoutes({ db, logger, metrics }: AppDeps) {
  const migrations = readMigrations();
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/metrics', async (c) =>
      c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
    )
    .get('/readyz', async (c) => {
      try {
        await db.prisma.$queryRaw`SELECT 1`;
        const pending = await pendingMigrations(db, migrations);
        if (pending.length > 0) return c.json({ status: 'migrations_pending', pending }, 503);
        return c.json({ status: 'ready', database: db.kind });
      } catch (error) {
        logger.warn({ err: error }, 'readiness check failed');
        return c.json({ status: 'database_unreachable' }, 503);
      }
    });
}
