-- Each briefing's log gets a gapless sequence, assigned under the briefing row's lock in the same
-- statement as the append: ids from one global sequence can commit out of order across
-- connections, so "every row after the last id I saw" could skip a row for ever.
ALTER TABLE "Briefing" ADD COLUMN "lastSeq" BIGINT NOT NULL DEFAULT 0;

ALTER TABLE "DocUpdate" ADD COLUMN "seq" BIGINT;
UPDATE "DocUpdate" AS d SET "seq" = n."rn"
FROM (SELECT "id", row_number() OVER (PARTITION BY "briefingId" ORDER BY "id") AS "rn" FROM "DocUpdate") AS n
WHERE d."id" = n."id";
ALTER TABLE "DocUpdate" ALTER COLUMN "seq" SET NOT NULL;
DROP INDEX "DocUpdate_briefingId_id_idx";
CREATE UNIQUE INDEX "DocUpdate_briefingId_seq_key" ON "DocUpdate"("briefingId", "seq");
UPDATE "Briefing" AS b SET "lastSeq" = COALESCE((SELECT max("seq") FROM "DocUpdate" WHERE "briefingId" = b."id"), 0);

-- A snapshot covers every row of its briefing with seq <= upToSeq. The rows existing snapshots
-- covered were deleted when they were made, and the rows left were numbered from 1 above.
ALTER TABLE "Snapshot" ADD COLUMN "upToSeq" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "Snapshot" ALTER COLUMN "upToSeq" DROP DEFAULT;
ALTER TABLE "Snapshot" DROP COLUMN "upToUpdateId";
