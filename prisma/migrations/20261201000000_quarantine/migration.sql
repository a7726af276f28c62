-- A log row can be set aside (quarantined) when it damages the document it belongs to: loads skip
-- it, compaction keeps it, nothing is deleted (npm run cli -- doc quarantine).
ALTER TABLE "DocUpdate" ADD COLUMN "quarantinedAt" TIMESTAMPTZ(3);
ALTER TABLE "DocUpdate" ADD COLUMN "quarantineReason" TEXT;
