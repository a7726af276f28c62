import { z } from 'zod';
import type { CleaningProposal } from './cleaning.ts';
import type { CslItem } from './csl.ts';

export const SOURCE_FORMATS = ['text', 'markdown', 'html', 'pdf', 'docx'] as const;
export const SourceFormatSchema = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

/** Formats whose original is a file of bytes, not text: sent and returned as base64. */
export const FILE_FORMATS = ['pdf', 'docx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export const isFileFormat = (format: SourceFormat): format is FileFormat =>
  (FILE_FORMATS as readonly string[]).includes(format);

/** An imported source before a person has reviewed the cleaning proposals and metadata. */
export interface SourceDraft {
  format: SourceFormat;
  /**
   * The original as received, stored unchanged: the decoded text, or for PDF and DOCX the file's
   * bytes in base64. `rawSha256` is the hex sha256 of its UTF-8 text, or of the file's bytes.
   */
  raw: string;
  rawSha256: string;
  /** Extracted and normalised text, before cleaning: the text proposal offsets refer to. */
  normalised: string;
  /** Proposed removals; none applied. */
  proposals: CleaningProposal[];
  /** Best-effort citation metadata. */
  metadata: CslItem;
}
