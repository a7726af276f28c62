// Prisma CLI configuration. Only `prisma generate` runs here (offline); migrations are plain SQL
// in prisma/migrations, applied at start by packages/db's runner in Prisma's own table format.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
