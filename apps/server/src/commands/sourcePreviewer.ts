import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import { applyCleaning, isFileFormat, type SourceDraft, type SourceFormat, sha256Hex } from '@debrief/sources';
import {
  base64FromBytes,
  bytesFromBase64,
  decodeSourceBytes,
  fetchSourceUrl,
  formatFromName,
  tooLarge,
} from '@debrief/sources/intake';
import type { RequestContext } from '../context/requestContext.ts';
import { AppError } from '../errors.ts';
import type { SourceExtractor } from '../extraction/SourceExtractor.ts';
import { type Duplicate, findDuplicateSource } from './sourceDuplicates.ts';

export interface PreviewDeps {
  db: Database;
  sourceExtractor: Pick<SourceExtractor, 'prepare'>;
  maxSourceBytes: number;
  sourceFetchAllowPrivate: boolean;
}

export interface Preview extends Omit<SourceDraft, 'raw' | 'rawSha256'> {
  fileName?: string;
  url?: string;
  /** The original as received (a PDF's or DOCX's bytes in base64): what the client sends back to save. */
  content: string;
  duplicate: Duplicate | null;
}

/**
 * The one size rule for what a person sends: the UTF-8 size of text (pasted, or a file already
 * decoded), the size of the file itself for PDF and DOCX (sent in base64, which is checked here).
 */
export function checkSourceSize(format: SourceFormat, content: string, maxSourceBytes: number): void {
  const size = isFileFormat(format) ? bytesFromBase64(content).byteLength : Buffer.byteLength(content, 'utf8');
  if (size > maxSourceBytes) throw tooLarge(maxSourceBytes);
}

/** Extraction, metadata and cleaning proposals for content a person is about to import; saves nothing. */
export async function sourcePreviewer(
  deps: PreviewDeps,
  ctx: RequestContext,
  input: { format: SourceFormat; content: string; fileName?: string | undefined; url?: string | undefined },
): Promise<Preview> {
  checkSourceSize(input.format, input.content, deps.maxSourceBytes);
  const draft = await deps.sourceExtractor.prepare({
    format: input.format,
    content: input.content,
    url: input.url,
    maxBytes: deps.maxSourceBytes,
  });
  const texts = [
    draft.normalised,
    applyCleaning(
      draft.normalised,
      draft.proposals,
      draft.proposals.map((p) => p.id),
    ),
  ];
  return {
    ...(input.fileName ? { fileName: input.fileName } : {}),
    ...(input.url ? { url: input.url } : {}),
    format: draft.format,
    content: draft.raw,
    normalised: draft.normalised,
    proposals: draft.proposals,
    metadata: draft.metadata,
    duplicate: await findDuplicateSource(deps.db, ctx.workspaceId, {
      rawSha256: draft.rawSha256,
      textSha256: texts.map(sha256Hex),
    }),
  };
}

/** Fetches a page (public addresses only) and previews it. */
export async function sourceUrlPreviewer(deps: PreviewDeps, ctx: RequestContext, url: string): Promise<Preview> {
  const fetched = await fetchSourceUrl(url, {
    maxBytes: deps.maxSourceBytes,
    allowPrivateNetwork: deps.sourceFetchAllowPrivate,
  });
  return sourcePreviewer(deps, ctx, { format: fetched.format, content: fetched.content, url: fetched.finalUrl });
}

/** Files extracted for one upload at most: each may use the whole extraction time limit. */
export const MAX_UPLOAD_FILES = 20;

/** Previews each uploaded file; a file that cannot be a source gets its error, the others go on. */
export async function sourceFilesPreviewer(
  deps: PreviewDeps,
  ctx: RequestContext,
  files: File[],
): Promise<Array<Preview | { fileName: string; error: { code: string; message: string } }>> {
  if (files.length === 0) throw new AppError('invalid_request', 'Attach one or more files in the field "files".');
  if (files.length > MAX_UPLOAD_FILES)
    throw new AppError('invalid_request', `Upload at most ${MAX_UPLOAD_FILES} files at once.`);
  const drafts = [];
  for (const file of files) {
    try {
      const format = formatFromName(file.name, file.type);
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.byteLength > deps.maxSourceBytes) throw tooLarge(deps.maxSourceBytes);
      // A PDF or Word document is a file, read in the extraction worker; everything else is text.
      const content = isFileFormat(format)
        ? base64FromBytes(bytes)
        : decodeSourceBytes(bytes, { maxBytes: deps.maxSourceBytes });
      drafts.push(await sourcePreviewer(deps, ctx, { format, content, fileName: file.name }));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      drafts.push({ fileName: file.name, error: { code: error.code, message: error.message } });
    }
  }
  return drafts;
}
