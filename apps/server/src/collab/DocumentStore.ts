import { bytes, type Database } from '@debrief/db';

export interface StoredRow {
  id: bigint;
  data: Uint8Array;
}

export interface StoredDocument {
  workspaceId: string;
  /** The latest compaction snapshot, if any. */
  snapshot: Uint8Array | null;
  /** Every logged update after it that is not quarantined, in log order. */
  log: StoredRow[];
  /** Highest log id the loaded state covers (0n when the log is empty). */
  lastUpdateId: bigint;
  /** Logged updates not yet folded into a snapshot. */
  updatesSinceSnapshot: number;
}

export interface QuarantinedRow {
  id: bigint;
  bytes: number;
  quarantinedAt: Date;
  reason: string;
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
    const [briefing] = await this.db.query<{ workspaceId: string }>(
      'SELECT "workspaceId" FROM "Briefing" WHERE "id" = $1',
      [briefingId],
    );
    if (!briefing) return null;
    const [snapshot] = await this.db.query<{ state: Uint8Array; upToUpdateId: string | number | bigint }>(
      `SELECT "state", "upToUpdateId" FROM "Snapshot"
       WHERE "briefingId" = $1 AND "name" IS NULL ORDER BY "id" DESC LIMIT 1`,
      [briefingId],
    );
    const after = snapshot ? BigInt(snapshot.upToUpdateId) : 0n;
    const rows = await this.db.query<{ id: string | number | bigint; data: Uint8Array }>(
      `SELECT "id", "data" FROM "DocUpdate"
       WHERE "briefingId" = $1 AND "id" > $2 AND "quarantinedAt" IS NULL ORDER BY "id"`,
      [briefingId, after.toString()],
    );
    const log = rows.map((row) => ({ id: BigInt(row.id), data: row.data }));
    return {
      workspaceId: briefing.workspaceId,
      snapshot: snapshot?.state ?? null,
      log,
      lastUpdateId: log.length > 0 ? log[log.length - 1]!.id : after,
      updatesSinceSnapshot: log.length,
    };
  }

  /**
   * Sets log rows aside: loads skip them and compaction keeps them, so a damaged update can be
   * taken out of a briefing's history without deleting anything. Answers the rows it marked.
   */
  async quarantine(briefingId: string, ids: bigint[], reason: string): Promise<bigint[]> {
    const rows = await this.db.query<{ id: string | number | bigint }>(
      `UPDATE "DocUpdate" SET "quarantinedAt" = now(), "quarantineReason" = $3
       WHERE "briefingId" = $1 AND "id" = ANY($2::bigint[]) AND "quarantinedAt" IS NULL RETURNING "id"`,
      [briefingId, ids.map(String), reason],
    );
    return rows.map((row) => BigInt(row.id)).sort((a, b) => (a < b ? -1 : 1));
  }

  /** Puts quarantined rows back into the history. */
  async release(briefingId: string, ids: bigint[]): Promise<bigint[]> {
    const rows = await this.db.query<{ id: string | number | bigint }>(
      `UPDATE "DocUpdate" SET "quarantinedAt" = NULL, "quarantineReason" = NULL
       WHERE "briefingId" = $1 AND "id" = ANY($2::bigint[]) AND "quarantinedAt" IS NOT NULL RETURNING "id"`,
      [briefingId, ids.map(String)],
    );
    return rows.map((row) => BigInt(row.id)).sort((a, b) => (a < b ? -1 : 1));
  }

  async quarantined(briefingId: string): Promise<QuarantinedRow[]> {
    const rows = await this.db.query<{
      id: string | number | bigint;
      bytes: number;
      quarantinedAt: Date;
      quarantineReason: string;
    }>(
      `SELECT "id", length("data") AS "bytes", "quarantinedAt", "quarantineReason" FROM "DocUpdate"
       WHERE "briefingId" = $1 AND "quarantinedAt" IS NOT NULL ORDER BY "id"`,
      [briefingId],
    );
    return rows.map((row) => ({
      id: BigInt(row.id),
      bytes: Number(row.bytes),
      quarantinedAt: new Date(row.quarantinedAt),
      reason: row.quarantineReason,
    }));
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
   * logged update with an id at most that. Named versions and quarantined rows are kept.
   */
  async compact(briefingId: string, state: Uint8Array, upToUpdateId: bigint): Promise<void> {
    const prisma = this.db.prisma;
    await prisma.$transaction([
      prisma.snapshot.deleteMany({ where: { briefingId, name: null } }),
      prisma.snapshot.create({ data: { briefingId, state: bytes(state), upToUpdateId } }),
      prisma.docUpdate.deleteMany({ where: { briefingId, id: { lte: upToUpdateId }, quarantinedAt: null } }),
    ]);
  }

  /** The workspace a briefing belongs to, or null when there is no such briefing. */
  async workspaceOf(briefingId: string): Promise<string | null> {
    const [row] = await this.db.query<{ workspaceId: string }>('SELECT "workspaceId" FROM "Briefing" WHERE "id" = $1', [
      briefingId,
    ]);
    return row?.workspaceId ?? null;
  }

  async briefingExists(briefingId: string): Promise<boolean> {
    return (await this.db.prisma.briefing.count({ where: { id: briefingId } })) > 0;
  }
}
