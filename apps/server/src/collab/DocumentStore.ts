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

  /** The stored document, or null when the briefing does not exist. */
  async load(briefingId: string): Promise<StoredDocument | null> {
    const prisma = this.db.prisma;
    const briefing = await prisma.briefing.findUnique({ where: { id: briefingId }, select: { id: true } });
    if (!briefing) return null;
    const snapshot = await prisma.snapshot.findFirst({
      where: { briefingId, name: null },
      orderBy: { id: 'desc' },
      select: { state: true, upToUpdateId: true },
    });
    const after = snapshot?.upToUpdateId ?? 0n;
    const log = await prisma.docUpdate.findMany({
      where: { briefingId, id: { gt: after } },
      orderBy: { id: 'asc' },
      select: { id: true, data: true },
    });
    return {
      updates: [...(snapshot ? [snapshot.state] : []), ...log.map((row) => row.data)],
      lastUpdateId: log.at(-1)?.id ?? after,
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
