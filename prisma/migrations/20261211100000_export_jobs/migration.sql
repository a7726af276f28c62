-- Exports of briefings (PDF, DOCX, Markdown, HTML, JSON): who asked, which state, progress, and the
-- finished file with its sha256, which a second request for the same state and format reuses.
CREATE TABLE "ExportJob" (
    "id" UUID NOT NULL,
    "briefingId" UUID NOT NULL,
    "requestedById" UUID,
    "version" TEXT,
    "stateKey" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "style" TEXT NOT NULL,
    "comments" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "step" TEXT,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "fileName" TEXT,
    "file" BYTEA,
    "sha256" TEXT,
    "size" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ExportJob_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ExportJob_status_check" CHECK ("status" IN ('queued', 'running', 'done', 'failed'))
);

CREATE INDEX "ExportJob_briefingId_stateKey_format_idx" ON "ExportJob"("briefingId", "stateKey", "format");

ALTER TABLE "ExportJob" ADD CONSTRAINT "ExportJob_briefingId_fkey" FOREIGN KEY ("briefingId") REFERENCES "Briefing"("id") ON DELETE CASCADE ON UPDATE CASCADE;
