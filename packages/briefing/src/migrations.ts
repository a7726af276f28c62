import type * as Y from 'yjs';
import { BRIEFING_SCHEMA_VERSION, BriefingSchemaError, getSchemaVersion, ROOT_META } from './schema.ts';

/**
 * Document migrations, keyed by the version they produce. Each runs inside one Yjs transaction
 * on the server, which then stores the resulting update like any other edit. Version 1 is the
 * first layout, so there is nothing to migrate yet; the next layout change adds `2: (doc) => …`.
 */
const MIGRATIONS: Record<number, (doc: Y.Doc) => void> = {};

/** Brings `doc` to the current schema version; answers whether it changed anything. */
export function migrateBriefing(doc: Y.Doc): boolean {
  const from = getSchemaVersion(doc);
  if (from === BRIEFING_SCHEMA_VERSION) return false;
  if (from > BRIEFING_SCHEMA_VERSION) {
    throw new BriefingSchemaError(
      `document has schema version ${from}, newer than this build's ${BRIEFING_SCHEMA_VERSION}`,
    );
  }
  if (from === 0) throw new BriefingSchemaError('document was never initialised');
  doc.transact(() => {
    for (let version = from + 1; version <= BRIEFING_SCHEMA_VERSION; version++) {
      const step = MIGRATIONS[version];
      if (!step) throw new BriefingSchemaError(`no migration to schema version ${version}`);
      step(doc);
    }
    doc.getMap(ROOT_META).set('schemaVersion', BRIEFING_SCHEMA_VERSION);
  });
  return true;
}
