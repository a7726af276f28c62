import type { MessagePort } from 'node:worker_threads';
import {
  ExportError,
  type ExportErrorCode,
  type ExportFormat,
  type ExportInput,
  type ExportStep,
  exportBriefing,
  warmCitations,
} from '@debrief/export';

export interface ExportTask {
  input: ExportInput;
  format: ExportFormat;
  /** Hears each step as it starts. */
  progress: MessagePort;
}

/** An ExportError travels as data: an Error cloned across threads keeps its message, not its code. */
export type ExportOutcome = { ok: true; file: Uint8Array } | { ok: false; code: ExportErrorCode; message: string };

// citeproc compiles a style on first use (a second or more): done once, as the worker starts.
warmCitations();

/** Runs in a worker of ExportRunner's pool, off the server's event loop. */
export default async function exportTask({ input, format, progress }: ExportTask): Promise<ExportOutcome> {
  try {
    const file = await exportBriefing(input, format, (step: ExportStep) => progress.postMessage(step));
    return { ok: true, file };
  } catch (error) {
    if (error instanceof ExportError) return { ok: false, code: error.code, message: error.message };
    throw error;
  } finally {
    progress.close();
  }
}
