export { openDatabase } from './database.ts';
export type { Database, DatabaseConfig, SqlSession } from './database.ts';
export { migrate, pendingMigrations, readMigrations, MigrationError, MIGRATIONS_DIR } from './migrations.ts';
export type { Migration } from './migrations.ts';
export { Prisma } from './generated/prisma/client.ts';
export type { PrismaClient, Briefing, Workspace, DocUpdate, Snapshot } from './generated/prisma/client.ts';
