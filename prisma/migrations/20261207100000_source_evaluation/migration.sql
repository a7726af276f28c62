-- PDF and Word sources: their original is a file, kept as bytes in "original"; "raw" holds the
-- original of text sources (text, Markdown, HTML). Exactly one of the two is set.
ALTER TABLE "Source" ALTER COLUMN "raw" DROP NOT NULL;
ALTER TABLE "Source" ADD COLUMN "original" BYTEA;
ALTER TABLE "Source" ADD CONSTRAINT "Source_original_check" CHECK (("raw" IS NULL) <> ("original" IS NULL));

-- Source evaluation with the NATO Admiralty code: a source's reliability A–F, an excerpt's
-- credibility 1–6 (written in the briefing's document and mirrored here with its source's grade).
ALTER TABLE "Source" ADD COLUMN "reliability" TEXT;
ALTER TABLE "Source" ADD CONSTRAINT "Source_reliability_check" CHECK ("reliability" IN ('A', 'B', 'C', 'D', 'E', 'F'));
ALTER TABLE "Citation" ADD COLUMN "reliability" TEXT;
ALTER TABLE "Citation" ADD COLUMN "credibility" INTEGER;
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_credibility_check" CHECK ("credibility" BETWEEN 1 AND 6);
