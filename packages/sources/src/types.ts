import { z } from 'zod';
import type { CleaningProposal } from './cleaning.ts';
import type { CslItem } from './csl.ts';

export const SOURCE_FORMATS = ['text', 'markdown', 'html'] as const;
export const SourceFormatSchema = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

/** An imported source before a person has reviewed the cleaning proposals and metadata. */
export interface SourceDraft {
  format: SourceFormat;
  /** The original as received (decoded), stored unchanged, and its hex sha256. */
  raw: string;
  rawSha256: string;
  /** Extracted and normalised text, before cleaning: the text proposal offsets refer to. */
  normalised: string;
  /** Proposed removals; none applied. */
  proposals: CleaningProposal[];
  /** Best-effort citation metadata. */
  metadata: CslItem;
}
