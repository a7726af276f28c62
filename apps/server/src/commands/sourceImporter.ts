import type { Database } from '@debrief/db';
import {
  applyCleaning,
  type CslPatch,
  isFileFormat,
  mergeMetadata,
  type Reliability,
  SourceError,
  type SourceFormat,
  sha256Hex,
  sourceTitle,
} from '@debrief/sources';
import type { RequestContext } from '../context/requestContext.ts';
import { AppError } from '../errors.ts';
import type { SourceExtractor } from '../extraction/SourceExtractor.ts';
import { findDuplicateSource } from './sourceDuplicates.ts';
import { checkSourceSize } from './sourcePreviewer.ts';

export interface SourceImport {
  format: SourceFormat;
  /** The original as received, decoded to text. */
  content: string;
  fileName?: string | undefined;
  url?: string | undefined;
  /** Ids of the cleaning proposals the user accepted, or 'all'. */
  acceptedCleaning: string[] | 'all';
  /** Corrections to the extracted metadata; a field set to null removes it. */
  metadata?: CslPatch | undefined;
  /** Save even when the same content is already in the workspace. */
  allowDuplicate?: boolean | undefined;
  /** The source's reliability on the Admiralty code, A–F, when already judged. */
  reliability?: Reliability | null | undefined;
}

/**
 * Imports one source into the context's workspace: extraction and normalisation, the cleaning the
 * user accepted, metadata, its reliability grade if given, and both hashes. The same content already in the workspace is refused
 * with the existing source's id unless `allowDuplicate` (findDuplicateSource is the rule).
 * Nothing is written on any failure.
 */
export async function sourceImporter(
  deps: { db: Database; sourceExtractor: Pick<SourceExtractor, 'prepare'>; maxSourceBytes: number },
  ctx: RequestContext,
  input: SourceImport,
): Promise<{ id: string; title: string }> {
  const { db } = deps;
  checkSourceSize(input.format, input.content, deps.maxSourceBytes);
  const draft = await deps.sourceExtractor.prepare({
    format: input.format,
    content: input.content,
    url: input.url,
    maxBytes: deps.maxSourceBytes,
  });
  const accepted = input.acceptedCleaning === 'all' ? draft.proposals.map((p) => p.id) : input.acceptedCleaning;
  const unknown = accepted.filter((id) => !draft.proposals.some((p) => p.id === id));
  if (unknown.length > 0) {
    throw new SourceError(
      'invalid_cleaning',
      `Unknown cleaning proposal: ${unknown.join(', ')}. Preview the source again.`,
    );
  }
  const text = applyCleaning(draft.normalised, draft.proposals, accepted);
  const textSha256 = sha256Hex(text);
  if (!input.allowDuplicate) {
    const existing = await findDuplicateSource(db, ctx.workspaceId, {
      rawSha256: draft.rawSha256,
      textSha256: [textSha256],
    });
    if (existing) {
      throw new AppError('duplicate_source', `This content is already in the library as “${existing.title}”.`, {
        ...existing,
      });
    }
  }
  const csl = mergeMetadata(draft.metadata, input.metadata);
  const title = sourceTitle(csl, input.fileName);
  const acceptedSet = new Set(accepted);
  // A PDF or Word document is kept as the file it was; text formats as the text received.
  const original = isFileFormat(draft.format)
    ? { raw: null, original: new Uint8Array(Buffer.from(draft.raw, 'base64')) }
    : { raw: draft.raw, original: null };
  return db.prisma.source.create({
    data: {
      workspaceId: ctx.workspaceId,
      format: draft.format,
      fileName: input.fileName ?? null,
      url: input.url ?? null,
      csl: csl as object,
      title,
      ...original,
      rawSha256: draft.rawSha256,
      reliability: input.reliability ?? null,
      text,
      textSha256,
      cleaning: draft.proposals.map((p) => ({ ...p, applied: acceptedSet.has(p.id) })),
    },
    select: { id: true, title: true },
  });
}
