export type { Database, DatabaseConfig, SqlSession } from './database.ts';
export { bytes, openDatabase } from './database.ts';
export { DatabaseLockedError } from './dataDirLock.ts';
export type { Briefing, DocUpdate, PrismaClient, Snapshot, Workspace } from './generated/prisma/client.ts';
export { Prisma } from './generated/prisma/client.ts';
export type { Migration } from './migrations.ts';
export { MIGRATIONS_DIR, MigrationError, migrate, pendingMigrations, readMigrations } from './migrations.ts';
export { createTestPostgres, migratedPgliteTemplate } from './testDatabases.ts';
