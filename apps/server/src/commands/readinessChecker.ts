import { type Database, type Migration, pendingMigrations } from '@debrief/db';

export type Readiness =
  | { ready: true; database: Database['kind'] }
  | { ready: false; status: 'migrations_pending'; pending: string[] }
  | { ready: false; status: 'database_unreachable'; error: unknown };

/** Whether the database answers and every migration this build knows is applied. */
export async function readinessChecker(db: Database, migrations: Migration[]): Promise<Readiness> {
  try {
    await db.query('SELECT 1');
    const pending = await pendingMigrations(db, migrations);
    if (pending.length > 0) return { ready: false, status: 'migrations_pending', pending };
    return { ready: true, database: db.kind };
  } catch (error) {
    return { ready: false, status: 'database_unreachable', error };
  }
}
