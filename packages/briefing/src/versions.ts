import * as Y from 'yjs';
import { getStatus, setStatus } from './meta.ts';
import { migrateBriefing } from './migrations.ts';
import { ROOT_LESSONS, ROOT_META, ROOT_SECTIONS } from './schema.ts';

const RESTORE = Symbol('restore');

/**
 * Brings `doc`'s content back to what it was in `versionState`, an earlier state of the same
 * document (a named version or a compaction checkpoint), as one ordinary change: people who have
 * the briefing open see it live, and nothing is lost, since the change can be reverted in turn.
 *
 * The change is computed the way Yjs itself undoes: on a copy holding the version, the edits made
 * since are applied and then undone with a Y.UndoManager. What was added since is deleted; what
 * was deleted since is inserted again; what is in both is left alone, so text that did not change
 * keeps its identity (comments anchored in it stay anchored, carets stay put). Comments and the
 * briefing's status are not part of the content: a restore keeps the threads of today, and a
 * final briefing stays final.
 *
 * Throws nothing for a state that is not an ancestor (a version taken before rows were set aside):
 * what the version has beyond the document is simply merged in.
 */
export function restoreVersion(doc: Y.Doc, versionState: Uint8Array, origin: unknown): void {
  const version = new Y.Doc();
  try {
    Y.applyUpdate(version, versionState);
    const scope = [version.getMap(ROOT_META), version.getArray(ROOT_SECTIONS), version.getArray(ROOT_LESSONS)];
    const undo = new Y.UndoManager(scope, { trackedOrigins: new Set([RESTORE]), captureTimeout: 0 });
    Y.applyUpdate(version, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(version)), RESTORE);
    undo.undo();
    undo.destroy();
    const change = Y.encodeStateAsUpdate(version, Y.encodeStateVector(doc));
    const status = getStatus(doc);
    doc.transact(() => {
      Y.applyUpdate(doc, change);
      if (getStatus(doc) !== status) setStatus(doc, status);
      // A version from before a schema migration brings the old layout back: upgrade it again.
      migrateBriefing(doc);
    }, origin);
  } finally {
    version.destroy();
  }
}

/** A document holding `state` alone, to read (preview, compare, export of a version). */
export function openVersion(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
