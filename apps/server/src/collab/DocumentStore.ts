import type { Database } from '@debrief/db';

export interface StoredRow {
  id: bigint;
  seq: bigint;
  data: Uint8Array;
}

export interface StoredDocument {
  workspaceId: string;
  /** The latest compaction snapshot, if any. */
  snapshot: Uint8Array | null;
  snapshotId: bigint | null;
  /** Every log row that is not quarantined, in seq order (rows a snapshot covers are deleted). */
  log: StoredRow[];
  /** The seq of the last update appended to this briefing's log (0n for none). */
  lastSeq: bigint;
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

type Num = string | number | bigint;

/** Compaction checkpoints kept per briefing, the newest (what loads start from) included. */
export const CHECKPOINTS_KEPT = 20;

/**
 * Durable storage of briefing documents: a snapshot plus an append-only update log. Raw SQL on
 * the hot paths (append, load): Prisma's query compilation cost more than the statements, and its
 * adapter parsed every bytea row in JavaScript (docs/benchmarks.md).
 *
 * Every briefing's log is numbered by `seq` without gaps, in commit order: `append` bumps
 * Briefing.lastSeq in the same statement that inserts the rows, so the briefing row's lock
 * serialises appends to one briefing across every connection and process, and a reader that has
 * seen seq n knows that n + 1 is the next row to come, never one that committed earlier.
 */
export class DocumentStore {
  constructor(private readonly db: Database) {}

  /**
   * The stored document, or null when the briefing does not exist. One statement, so snapshot and
   * log are read from one database state: a compaction between two reads cannot drop rows.
   */
  async load(briefingId: string): Promise<StoredDocument | null> {
    const parts = await this.db.query<{
      part: string;
      id: Num | null;
      seq: Num;
      data: Uint8Array | null;
      ws: string | null;
    }>(
      `WITH s AS (
         SELECT "id", "state", "upToSeq" FROM "Snapshot"
         WHERE "briefingId" = $1 AND "name" IS NULL ORDER BY "id" DESC LIMIT 1)
       SELECT 'briefing' AS "part", NULL::bigint AS "id", "lastSeq" AS "seq", NULL::bytea AS "data", "workspaceId"::text AS "ws"
         FROM "Briefing" WHERE "id" = $1
       UNION ALL
       SELECT 'snapshot', "id", "upToSeq", "state", NULL FROM s
       UNION ALL
       SELECT 'row', "id", "seq", "data", NULL FROM "DocUpdate"
         WHERE "briefingId" = $1 AND "quarantinedAt" IS NULL`,
      [briefingId],
    );
    const briefing = parts.find((p) => p.part === 'briefing');
    if (!briefing) return null;
    const snapshot = parts.find((p) => p.part === 'snapshot');
    const upToSeq = snapshot ? BigInt(snapshot.seq) : 0n;
    const log = parts
      .filter((p) => p.part === 'row')
      .map((p) => ({ id: BigInt(p.id!), seq: BigInt(p.seq), data: p.data! }))
      .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    return {
      workspaceId: briefing.ws!,
      snapshot: snapshot?.data ?? null,
      snapshotId: snapshot ? BigInt(snapshot.id!) : null,
      log,
      lastSeq: BigInt(briefing.seq),
      updatesSinceSnapshot: log.filter((row) => row.seq > upToSeq).length,
    };
  }

  /**
   * What a loaded copy that holds every row up to `afterSeq` lacks: the newest snapshot when it
   * covers rows after `afterSeq` (another process compacted them away), the rows after it, and the
   * log's last seq. One statement, so all three come from one database state: every row numbered
   * up to `lastSeq` that is not quarantined is in the snapshot or in `log`. Null when the briefing
   * no longer exists.
   */
  async since(
    briefingId: string,
    afterSeq: bigint,
  ): Promise<Pick<StoredDocument, 'snapshot' | 'log' | 'lastSeq'> | null> {
    const parts = await this.db.query<{ part: string; id: Num | null; seq: Num; data: Uint8Array | null }>(
      `WITH s AS (
         SELECT "id", "state", "upToSeq" FROM "Snapshot"
         WHERE "briefingId" = $1 AND "name" IS NULL ORDER BY "id" DESC LIMIT 1)
       SELECT 'briefing' AS "part", NULL::bigint AS "id", "lastSeq" AS "seq", NULL::bytea AS "data"
         FROM "Briefing" WHERE "id" = $1
       UNION ALL
       SELECT 'snapshot', "id", "upToSeq", "state" FROM s WHERE "upToSeq" > $2
       UNION ALL
       SELECT 'row', "id", "seq", "data" FROM "DocUpdate"
         WHERE "briefingId" = $1 AND "seq" > $2 AND "quarantinedAt" IS NULL`,
      [briefingId, afterSeq.toString()],
    );
    const briefing = parts.find((p) => p.part === 'briefing');
    if (!briefing) return null;
    return {
      snapshot: parts.find((p) => p.part === 'snapshot')?.data ?? null,
      log: parts
        .filter((p) => p.part === 'row')
        .map((p) => ({ id: BigInt(p.id!), seq: BigInt(p.seq), data: p.data! }))
        .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0)),
      lastSeq: BigInt(briefing.seq),
    };
  }

  /** The last seq of each briefing's log (briefings that no longer exist are left out). */
  async lastSeqs(briefingIds: string[]): Promise<Map<string, bigint>> {
    if (briefingIds.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; lastSeq: Num }>(
      'SELECT "id"::text AS "id", "lastSeq" FROM "Briefing" WHERE "id" = ANY($1::uuid[])',
      [briefingIds],
    );
    return new Map(rows.map((row) => [row.id, BigInt(row.lastSeq)]));
  }

  /**
   * Appends several updates (of any briefings) in one statement: one transaction, one fsync. Each
   * entry is answered with the seq it got, in the order given; an entry whose briefing no longer
   * exists gets null (nothing is written for it).
   */
  async append(entries: AppendEntry[]): Promise<Array<bigint | null>> {
    const values = entries.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2}::bytea, ${i})`).join(', ');
    const rows = await this.db.query<{ briefingId: string; seq: Num }>(
      `WITH input ("briefingId", "data", "ord") AS (VALUES ${values}),
       counts AS (SELECT "briefingId", count(*) AS "n" FROM input GROUP BY "briefingId"),
       bumped AS (
         UPDATE "Briefing" AS b SET "lastSeq" = b."lastSeq" + c."n" FROM counts AS c WHERE b."id" = c."briefingId"
         RETURNING b."id", b."lastSeq" - c."n" AS "base")
       INSERT INTO "DocUpdate" ("briefingId", "seq", "data")
       SELECT i."briefingId", bumped."base" + row_number() OVER (PARTITION BY i."briefingId" ORDER BY i."ord"), i."data"
       FROM input AS i JOIN bumped ON bumped."id" = i."briefingId"
       RETURNING "briefingId", "seq"`,
      entries.flatMap((e) => [e.briefingId, e.data]),
    );
    // Within a briefing, seqs follow the order of the entries.
    const seqs = new Map<string, bigint[]>();
    for (const row of rows) {
      const list = seqs.get(row.briefingId) ?? [];
      list.push(BigInt(row.seq));
      seqs.set(row.briefingId, list);
    }
    for (const list of seqs.values()) list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const taken = new Map<string, number>();
    return entries.map((entry) => {
      const list = seqs.get(entry.briefingId);
      if (!list) return null;
      const index = taken.get(entry.briefingId) ?? 0;
      taken.set(entry.briefingId, index + 1);
      return list[index] ?? null;
    });
  }

  /**
   * Folds a briefing's log into one snapshot, built from the database rows (never from one
   * process's memory, which may lack rows another process committed). The rows are read and
   * replayed outside any lock (rows never change once written); the swap then runs under the
   * briefing row's lock, the one appends take, and only if no other compaction replaced the
   * snapshot meanwhile. Rows after the ones read stay in the log; named versions, quarantined
   * rows and the newest earlier checkpoints (CHECKPOINTS_KEPT, the automatic versions people can
   * restore) are kept. Answers how many rows it folded.
   */
  async compact(briefingId: string, build: (stored: StoredDocument) => Uint8Array): Promise<number> {
    const stored = await this.load(briefingId);
    if (!stored || stored.log.length === 0) return 0;
    const upToSeq = stored.log[stored.log.length - 1]!.seq;
    const state = build(stored);
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.query<{ id: string }>('SELECT "id" FROM "Briefing" WHERE "id" = $1 FOR UPDATE', [
        briefingId,
      ]);
      if (!locked) return 0;
      const [current] = await tx.query<{ id: Num }>(
        'SELECT "id" FROM "Snapshot" WHERE "briefingId" = $1 AND "name" IS NULL ORDER BY "id" DESC LIMIT 1',
        [briefingId],
      );
      const currentId = current ? BigInt(current.id) : null;
      if (currentId !== stored.snapshotId) return 0;
      // Earlier checkpoints are the briefing's automatic versions: the newest few are kept.
      await tx.query(
        `DELETE FROM "Snapshot" WHERE "briefingId" = $1 AND "name" IS NULL AND "id" NOT IN (
           SELECT "id" FROM "Snapshot" WHERE "briefingId" = $1 AND "name" IS NULL ORDER BY "id" DESC LIMIT $2)`,
        [briefingId, CHECKPOINTS_KEPT - 1],
      );
      await tx.query('INSERT INTO "Snapshot" ("briefingId", "state", "upToSeq") VALUES ($1, $2, $3)', [
        briefingId,
        state,
        upToSeq.toString(),
      ]);
      const deleted = await tx.query<{ id: Num }>(
        `DELETE FROM "DocUpdate" WHERE "briefingId" = $1 AND "seq" <= $2 AND "quarantinedAt" IS NULL RETURNING "id"`,
        [briefingId, upToSeq.toString()],
      );
      return deleted.length;
    });
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

  /** The workspace a briefing belongs to, or null when there is no such briefing. */
  async workspaceOf(briefingId: string): Promise<string | null> {
    const [row] = await this.db.query<{ workspaceId: string }>('SELECT "workspaceId" FROM "Briefing" WHERE "id" = $1', [
      briefingId,
    ]);
    return row?.workspaceId ?? null;
  }
}
