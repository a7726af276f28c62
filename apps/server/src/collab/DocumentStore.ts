import { bytes, type Database } from '@debrief/db';

export interface StoredDocument {
  /** Snapshot state first (if any), then every logged update after it, in log order. */
  updates: Uint8Array[];
  /** Highest log id the loaded state covers (0n when the log is empty). */
  lastUpdateId: bigint;
  /** Logged updates not yet folded into a snapshot. */
  updatesSinceSnapshot: number;
}

export interface AppendEntry {
  briefingId: string;
  data: Uint8Array;
}

/** Durable storage of briefing documents: a snapshot plus an append-only update log. */
export class DocumentStore {
  constructor(private readonly db: Database) {}

  /**
   * The stored document, or null when the briefing does not exist. Raw SQL like `append`: a cold
   * load reads thousands of bytea rows, and the Prisma adapter parsed each in JavaScript.
   */
  async load(briefingId: string): Promise<StoredDocument | null> {
    const [briefing] = await this.db.query<{ id: string }>('SELECT "id" FROM "Briefing" WHERE "id" = $1', [briefingId]);
    if (!briefing) return null;
    const [snapshot] = await this.db.query<{ state: Uint8Array; upToUpdateId: string | number | bigint }>(
      `SELECT "state", "upToUpdateId" FROM "Snapshot"
       WHERE "briefingId" = $1 AND "name" IS NULL ORDER BY "id" DESC LIMIT 1`,
      [briefingId],
    );
    const after = snapshot ? BigInt(snapshot.upToUpdateId) : 0n;
    const log = await this.db.query<{ id: string | number | bigint; data: Uint8Array }>(
      'SELECT "id", "data" FROM "DocUpdate" WHERE "briefingId" = $1 AND "id" > $2 ORDER BY "id"',
      [briefingId, after.toString()],
    );
    return {
      updates: [...(snapshot ? [snapshot.state] : []), ...log.map((row) => row.data)],
      lastUpdateId: log.length > 0 ? BigInt(log[log.length - 1]!.id) : after,
      updatesSinceSnapshot: log.length,
    };
  }

  /**
   * Appends several updates in one statement (one transaction, one fsync). Answers, per
   * briefing, the highest id assigned. Raw SQL on purpose: this runs for every edit, and
   * Prisma's query compilation cost more than the INSERT itself (see docs/benchmarks.md).
   */
  async append(entries: AppendEntry[]): Promise<Map<string, bigint>> {
    const values = entries.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2}::bytea)`).join(', ');
    const rows = await this.db.query<{ id: string | number | bigint; briefingId: string }>(
      `INSERT INTO "DocUpdate" ("briefingId", "data") VALUES ${values} RETURNING "id", "briefingId"`,
      entries.flatMap((e) => [e.briefingId, e.data]),
    );
    const highest = new Map<string, bigint>();
    for (const row of rows) {
      const id = BigInt(row.id);
      const seen = highest.get(row.briefingId);
      if (seen === undefined || id > seen) highest.set(row.briefingId, id);
    }
    return highest;
  }

  /**
   * Replaces the log up to `upToUpdateId` by one snapshot of `state`, which must contain every
   * logged update with an id at most that. Named versions are kept.
   */
  async compact(briefingId: string, state: Uint8Array, upToUpdateId: bigint): Promise<void> {
    const prisma = this.db.prisma;
    await prisma.$transaction([
      prisma.snapshot.deleteMany({ where: { briefingId, name: null } }),
      prisma.snapshot.create({ data: { briefingId, state: bytes(state), upToUpdateId } }),
      prisma.docUpdate.deleteMany({ where: { briefingId, id: { lte: upToUpdateId } } }),
    ]);
  }

  async briefingExists(briefingId: string): Promise<boolean> {
    return (await this.db.prisma.briefing.count({ where: { id: briefingId } })) > 0;
  }
}
