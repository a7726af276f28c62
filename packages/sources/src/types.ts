import { z } from 'zod';
import { CleaningProposalSchema } from './cleaning.ts';
import { CslItemSchema } from './csl.ts';

export const SOURCE_FORMATS = ['text', 'markdown', 'html', 'pdf', 'docx'] as const;
export const SourceFormatSchema = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

/** Formats whose original is a file of bytes, not text: sent and returned as base64. */
export const FILE_FORMATS = ['pdf', 'docx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export const isFileFormat = (format: SourceFormat): format is FileFormat =>
  (FILE_FORMATS as readonly string[]).includes(format);

/** An imported source before a person has reviewed the cleaning proposals and metadata. */
export const SourceDraftSchema = z.object({
  format: SourceFormatSchema,
  /**
   * The original as received, stored unchanged: the decoded text, or for PDF and DOCX the file's
   * bytes in base64. `rawSha256` is the hex sha256 of its UTF-8 text, or of the file's bytes.
   */
  raw: z.string(),
  rawSha256: z.string(),
  /** Extracted and normalised text, before cleaning: the text proposal offsets refer to. */
  normalised: z.string(),
  /** Proposed removals; none applied. */
  proposals: z.array(CleaningProposalSchema),
  /** Best-effort citation metadata. */
  metadata: CslItemSchema,
});
export type SourceDraft = z.infer<typeof SourceDraftSchema>;
