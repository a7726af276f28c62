-- Briefings can be archived (hidden from the list, kept whole) and searched by their text, which
-- the server derives from the document (the document stays the source of truth). NULL search
-- text: not derived yet (a briefing stored before this migration); the server fills it in.
ALTER TABLE "Briefing" ADD COLUMN "archivedAt" TIMESTAMPTZ(3);
ALTER TABLE "Briefing" ADD COLUMN "searchText" TEXT;

-- Who named a version (null for automatic checkpoints and for a person since deleted).
ALTER TABLE "Snapshot" ADD COLUMN "createdById" UUID;
