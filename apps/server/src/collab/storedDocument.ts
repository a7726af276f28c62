import { ROOT_TYPES } from '@debrief/briefing';
import { DomainError } from '@debrief/errors';
import * as Y from 'yjs';
import { checkUpdate } from './checkUpdate.ts';
import type { StoredDocument } from './DocumentStore.ts';

/** A part of a stored history that keeps the document from loading. */
export interface BadPart {
  /** A log row's id, or 'snapshot'. */
  row: bigint | 'snapshot';
  reason: string;
}

/**
 * A briefing whose stored history fails the server's checks: an update that breaks the input
 * limits (stored before they existed), that Yjs cannot apply, or a state that cannot be encoded.
 * The briefing is refused (close 4422, API 409) instead of being served empty or half loaded;
 * nothing is changed in the database. `npm run cli -- doc check` names the rows to quarantine.
 */
export class DocumentUnloadableError extends DomainError<'briefing_unloadable'> {
  constructor(
    readonly briefingId: string,
    readonly badParts: BadPart[],
  ) {
    super(
      'briefing_unloadable',
      409,
      // For the person who asked; the rows at fault go to the server log and `doc check`.
      'This briefing cannot be opened: part of its stored history failed the server’s checks. Nothing was changed; an administrator can repair it.',
    );
  }
}

const parts = (stored: StoredDocument): Array<{ row: BadPart['row']; data: Uint8Array }> => [
  ...(stored.snapshot ? [{ row: 'snapshot' as const, data: stored.snapshot }] : []),
  ...stored.log.map((entry) => ({ row: entry.id, data: entry.data })),
];

const encodes = (doc: Y.Doc): boolean => {
  try {
    Y.encodeStateAsUpdate(doc);
    return true;
  } catch {
    return false;
  }
};

/**
 * Replays a stored history into a fresh Y.Doc. Throws DocumentUnloadableError, naming the parts
 * at fault, when a part cannot be applied or the result cannot be encoded (which is what every
 * joining client's sync and every compaction needs).
 */
export function openStoredDocument(briefingId: string, stored: StoredDocument): Y.Doc {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const part of parts(stored)) Y.applyUpdate(doc, part.data);
    });
    if (encodes(doc)) return doc;
  } catch {
    // Fall through to the diagnosis.
  }
  doc.destroy();
  throw new DocumentUnloadableError(briefingId, diagnoseStoredDocument(stored));
}

/**
 * Which parts of a stored history are damaged: each part is checked against the input limits a
 * client update must pass, then applied on its own; parts that fail are left out of the rest of
 * the replay. When every part passes yet the whole cannot be encoded, the first part after which
 * encoding fails is named (slow, so only for a history already known to be bad).
 */
export function diagnoseStoredDocument(stored: StoredDocument): BadPart[] {
  const bad: BadPart[] = [];
  const doc = new Y.Doc();
  try {
    for (const part of parts(stored)) {
      const verdict = checkUpdate(part.data, doc, ROOT_TYPES);
      if (verdict.kind === 'refuse') {
        bad.push({ row: part.row, reason: verdict.reason });
        continue;
      }
      try {
        Y.applyUpdate(doc, part.data);
      } catch (error) {
        bad.push({ row: part.row, reason: `Yjs cannot apply it: ${(error as Error).message}` });
      }
    }
    if (bad.length > 0 || encodes(doc)) return bad;
  } finally {
    doc.destroy();
  }
  const replay = new Y.Doc();
  try {
    for (const part of parts(stored)) {
      Y.applyUpdate(replay, part.data);
      if (!encodes(replay)) return [{ row: part.row, reason: 'after it, the document state cannot be encoded' }];
    }
    return [];
  } finally {
    replay.destroy();
  }
}

/**
 * The state a compaction stores for a history: replayed from the rows, encoded, and read back
 * into a fresh document before anything is deleted. A state that would not load again (Yjs has
 * encodings it cannot read back) throws here, and the log keeps the rows.
 */
export function compactedState(briefingId: string, stored: StoredDocument): Uint8Array {
  const replayed = openStoredDocument(briefingId, stored);
  try {
    const state = Y.encodeStateAsUpdate(replayed);
    const reread = new Y.Doc();
    try {
      Y.applyUpdate(reread, state);
      Y.encodeStateAsUpdate(reread);
    } finally {
      reread.destroy();
    }
    return state;
  } finally {
    replayed.destroy();
  }
}
