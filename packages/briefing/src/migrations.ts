import * as Y from 'yjs';
import { initialOrderKeys, orderedMaps } from './ordering.ts';
import {
  BRIEFING_SCHEMA_VERSION,
  BriefingSchemaError,
  getSchemaVersion,
  isMap,
  metaMap,
  ROOT_META,
  sectionsArray,
} from './schema.ts';
import { createSectionMap } from './sections.ts';

/**
 * Version 1 → 2. Version 1 was one flat list of five sections (BLUF, observations, discussion,
 * conclusions, recommendations). Nothing people wrote is moved or copied: every section stays,
 * with its id and body, so every excerpt stays the same element and still anchors, and comments
 * and carets keep their place. The migration adds what version 2 has: the briefing's fields
 * (template, marking, event, period, authors, status), an order key per section (sections are
 * ordered by it now), and a `lessons` section, after the conclusions, where lesson entries are
 * read. The `lessons` and `comments` roots need no writing: Yjs roots exist once named.
 */
function toVersion2(doc: Y.Doc): void {
  const meta = metaMap(doc);
  const defaults: Record<string, unknown> = {
    template: 'lessons-learned',
    classification: '',
    tlp: null,
    event: '',
    periodStart: null,
    periodEnd: null,
    status: 'draft',
  };
  for (const [key, value] of Object.entries(defaults)) if (!meta.has(key)) meta.set(key, value);
  if (!(meta.get('authors') instanceof Y.Array)) meta.set('authors', new Y.Array<unknown>());

  // Version 1 read sections in array order: the keys keep that order.
  const sections = orderedMaps(sectionsArray(doc));
  const keys = initialOrderKeys(sections.length + 1);
  const conclusions = sections.findIndex((s) => s.get('kind') === 'conclusions');
  const lessonsAt = conclusions >= 0 ? conclusions + 1 : sections.length;
  sections.forEach((section, i) => {
    section.set('order', keys[i < lessonsAt ? i : i + 1]!);
  });
  if (
    !sectionsArray(doc)
      .toArray()
      .some((s) => isMap(s) && s.get('kind') === 'lessons')
  ) {
    sectionsArray(doc).push([createSectionMap('lessons', 'Lessons', keys[lessonsAt]!)]);
  }
}

/**
 * Document migrations, keyed by the version they produce. Each runs inside one Yjs transaction
 * on the server, which then stores the resulting update like any other edit.
 */
const MIGRATIONS: Record<number, (doc: Y.Doc) => void> = { 2: toVersion2 };

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
