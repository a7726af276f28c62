import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BRIEFING_SCHEMA_VERSION,
  BriefingJSONSchema,
  briefingToJSON,
  getExcerpts,
  getSchemaVersion,
  getSections,
  getStatus,
  migrateBriefing,
  richTextToPlainText,
} from './index.ts';
import { replica, sync, write } from './testing.ts';

/** A briefing as schema version 1 stored it, written by the version 1 code (commit c677767). */
const storedV1 = () => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, readFileSync(new URL('./fixtures/briefing-v1.yjs', import.meta.url)));
  return doc;
};

describe('migration from schema version 1', () => {
  it('opens a stored version 1 briefing upgraded, with every section, its text and its excerpt in place', () => {
    const doc = storedV1();
    expect(getSchemaVersion(doc)).toBe(1);
    const excerptBefore = getExcerpts(doc)[0]!;
    const idsBefore = getSections(doc).map((s) => s.id);
    expect(migrateBriefing(doc)).toBe(true);
    expect(getSchemaVersion(doc)).toBe(BRIEFING_SCHEMA_VERSION);
    expect(getSections(doc).map((s) => s.kind)).toEqual([
      'bluf',
      'observations',
      'discussion',
      'conclusions',
      'lessons',
      'recommendations',
    ]);
    expect(
      getSections(doc)
        .filter((s) => s.kind !== 'lessons')
        .map((s) => s.id),
    ).toEqual(idsBefore);
    expect(richTextToPlainText(getSections(doc)[0]!.body)).toBe(
      'Dial-in from an unsecured line defeats a certified platform.',
    );
    // The same element, so the same anchor: the server checks it against its source as before.
    const [excerpt] = getExcerpts(doc);
    expect(excerpt!.element).toBe(excerptBefore.element);
    expect(excerpt).toMatchObject({
      excerptId: excerptBefore.excerptId,
      start: 908,
      end: 977,
      sectionId: idsBefore[1],
    });
    expect(getStatus(doc)).toBe('draft');
    const json = briefingToJSON(doc);
    expect(BriefingJSONSchema.parse(json)).toEqual(json);
    expect(json).toMatchObject({ template: 'lessons-learned', lessons: [], comments: [], authors: [] });
    expect(migrateBriefing(doc)).toBe(false);
  });

  it('keeps what a version 1 client typed meanwhile when its edits reach the migrated document', () => {
    const server = storedV1();
    const oldClient = replica(server);
    migrateBriefing(server);
    write(getSections(oldClient)[2]!.body, 'Written by a client that still had version 1.');
    sync(server, oldClient);
    const discussion = getSections(server).find((s) => s.kind === 'discussion')!;
    expect(richTextToPlainText(discussion.body)).toBe('Written by a client that still had version 1.');
  });
});
