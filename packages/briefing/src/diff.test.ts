import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLesson,
  appendExcerpt,
  briefingToJSON,
  diffBriefings,
  getLessons,
  getSections,
  initBriefing,
  removeSection,
  setTitle,
  updateLesson,
} from './index.ts';
import { quote, write } from './testing.ts';

describe('comparing two states of a briefing', () => {
  it('marks added and removed words, sections, lessons and excerpts, and nothing else', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'Before' });
    const [bluf, background] = getSections(doc);
    write(bluf!.body, 'The call was intercepted.');
    const kept = getLessons(doc)[0]!;
    write(kept.bodies.observation, 'An officer dialled in.');
    const removedExcerpt = appendExcerpt(doc, bluf!.id, quote('s1', 'dialed in'));
    const earlier = briefingToJSON(doc);

    setTitle(doc, 'After');
    write(bluf!.body, 'Nobody checked the participants.');
    removeSection(doc, background!.id);
    getSections(doc)[0]!.body.delete(1, 1);
    updateLesson(doc, kept.id, { owner: 'J6' });
    const added = addLesson(doc, { title: 'New lesson' });
    const addedExcerpt = appendExcerpt(
      doc,
      { kind: 'lesson', lessonId: added, field: 'observation' },
      quote('s2', 'x'),
    );

    const diff = diffBriefings(earlier, briefingToJSON(doc));
    expect(diff.changed).toBe(true);
    expect(diff.fields).toEqual([{ field: 'title', label: 'Title', before: 'Before', after: 'After' }]);
    expect(diff.sections.map((s) => [s.heading, s.change])).toEqual([
      ['Bottom line up front', 'changed'],
      ['Background and timeline', 'removed'],
      ['Lessons', 'unchanged'],
      ['Recommendations summary', 'unchanged'],
    ]);
    const blufChanges = diff.sections[0]!.body;
    const side = (kind: 'added' | 'removed') =>
      blufChanges
        .filter((c) => c.kind !== (kind === 'added' ? 'removed' : 'added'))
        .map((c) => c.text)
        .join('');
    expect(side('removed')).toBe('The call was intercepted.\n“dialed in”');
    expect(side('added')).toBe('The call was intercepted.\nNobody checked the participants.');

    expect(diff.lessons.map((l) => [l.title, l.change, l.fields.map((f) => f.field)])).toEqual([
      ['', 'changed', ['owner']],
      ['New lesson', 'added', []],
    ]);
    expect(diff.excerpts.added.map((e) => e.excerptId)).toEqual([addedExcerpt]);
    expect(diff.excerpts.removed.map((e) => e.excerptId)).toEqual([removedExcerpt]);
  });

  it('finds nothing between a state and itself', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const json = briefingToJSON(doc);
    expect(diffBriefings(json, json).changed).toBe(false);
  });
});
