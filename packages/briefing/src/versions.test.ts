import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLesson,
  briefingToJSON,
  getLessons,
  getSections,
  getStatus,
  getThreads,
  initBriefing,
  rangeAnchor,
  removeLesson,
  resolveAnchor,
  restoreVersion,
  setStatus,
  setTitle,
  startThread,
  updateLesson,
} from './index.ts';
import { replica, sync, write } from './testing.ts';

const ana = { id: 'u-ana', name: 'Ana' };
const contentOf = (doc: Y.Doc) => {
  const { comments: _c, status: _s, ...content } = briefingToJSON(doc);
  return content;
};

describe('restoring a version', () => {
  it('brings back the content of the version as one change that another replica receives', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'Sent to commander' });
    const bluf = getSections(doc)[0]!;
    write(bluf.body, 'Version text.');
    const lesson = getLessons(doc)[0]!.id;
    updateLesson(doc, lesson, { title: 'Kept lesson' });
    const version = Y.encodeStateAsUpdate(doc);
    const expected = contentOf(doc);

    const other = replica(doc);
    setTitle(doc, 'Rewritten');
    write(bluf.body, 'Added later.');
    (bluf.body.get(0) as Y.XmlElement).delete(0, 1);
    removeLesson(doc, lesson);
    addLesson(doc, { title: 'New lesson' });
    sync(doc, other);

    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'api') updates.push(update);
    });
    restoreVersion(doc, version, 'api');
    expect(contentOf(doc)).toEqual({ ...expected, lessons: [expect.objectContaining({ title: 'Kept lesson' })] });
    expect(briefingToJSON(doc).lessons.map((l) => l.title)).toEqual(['Kept lesson']);
    expect(updates).toHaveLength(1);
    Y.applyUpdate(other, updates[0]!);
    expect(contentOf(other)).toEqual(contentOf(doc));
  });

  it('can be undone by restoring the state from before it, and keeps comments and the status', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const bluf = getSections(doc)[0]!;
    write(bluf.body, 'Unchanged sentence.');
    const version = Y.encodeStateAsUpdate(doc);
    write(bluf.body, 'Later sentence.');
    const location = { kind: 'section' as const, sectionId: bluf.id };
    startThread(doc, { anchor: rangeAnchor(doc, location, 0, 9), author: ana, body: 'On unchanged text' });
    setStatus(doc, 'final');
    const before = Y.encodeStateAsUpdate(doc);
    const beforeContent = contentOf(doc);

    restoreVersion(doc, version, 'api');
    expect(getStatus(doc)).toBe('final');
    expect(getThreads(doc)).toHaveLength(1);
    // The text the thread is on was there in the version too: the same text, still anchored.
    expect(resolveAnchor(doc, getThreads(doc)[0]!.anchor)).toMatchObject({ quote: 'Unchanged', detached: false });
    expect(briefingToJSON(doc).sections[0]!.body.content).toHaveLength(1);

    restoreVersion(doc, before, 'api');
    expect(contentOf(doc)).toEqual(beforeContent);
  });
});
