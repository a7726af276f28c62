import type { MessagePort } from 'node:worker_threads';
import type { SourceDraft } from '@debrief/sources';
import { isFileFormat, SourceError, type SourceErrorCode } from '@debrief/sources';
import { type PrepareSourceInput, prepareDocumentSource, prepareSource } from '@debrief/sources/server';

export interface PrepareSourceTask {
  input: PrepareSourceInput;
  /** Told once the worker starts, so that the time limit does not count time spent queued. */
  started: MessagePort;
}

/** A SourceError travels as data: an Error cloned across threads keeps its message, not its code. */
export type PrepareSourceOutcome =
  | { ok: true; draft: SourceDraft }
  | { ok: false; code: SourceErrorCode; message: string };

/**
 * Runs in a worker of SourceExtractor's pool, off the server's event loop: prepareSource for text,
 * Markdown and HTML, prepareDocumentSource for PDF and DOCX.
 */
export default async function prepareSourceTask({ input, started }: PrepareSourceTask): Promise<PrepareSourceOutcome> {
  started.postMessage('started');
  started.close();
  try {
    const draft = isFileFormat(input.format) ? await prepareDocumentSource(input) : prepareSource(input);
    return { ok: true, draft };
  } catch (error) {
    if (error instanceof SourceError) return { ok: false, code: error.code, message: error.message };
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return {
        ok: false,
        code: 'source_too_complex',
        message: 'The source is structured too deeply to be extracted; it cannot be imported.',
      };
    }
    throw error;
  }
}
