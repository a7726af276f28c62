import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLesson,
  addSection,
  getLessons,
  getSections,
  initBriefing,
  moveLesson,
  moveSection,
  removeSection,
  renameSection,
  richTextToPlainText,
  TEMPLATES,
} from './index.ts';
import { replica, sync, write } from './testing.ts';

const headings = (doc: Y.Doc) => getSections(doc).map((s) => s.heading);

describe('templates', () => {
  it.each(Object.values(TEMPLATES))('$name starts with its sections in order and $lessons lesson(s)', (template) => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T', template: template.id });
    expect(getSections(doc).map((s) => [s.kind, s.heading])).toEqual(template.sections.map((s) => [s.kind, s.heading]));
    expect(getLessons(doc)).toHaveLength(template.lessons);
  });

  it('refuses a template it does not have', () => {
    expect(() => initBriefing(new Y.Doc(), { title: 'T', template: 'memo' as never })).toThrow(
      'template: must be one of lessons-learned, after-action-review, blank',
    );
  });
});

describe('sections', () => {
  it('are added, renamed, moved and removed, and a heading is checked first', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T', template: 'blank' });
    const first = getSections(doc)[0]!.id;
    const second = addSection(doc, { heading: 'Timeline' });
    const third = addSection(doc, { heading: 'Annex', index: 0 });
    expect(headings(doc)).toEqual(['Annex', 'Notes', 'Timeline']);
    renameSection(doc, second, '  Timeline of events ');
    moveSection(doc, third, 2);
    expect(headings(doc)).toEqual(['Notes', 'Timeline of events', 'Annex']);
    expect(() => renameSection(doc, first, ' ')).toThrow('section heading: must not be empty');
    removeSection(doc, second);
    expect(headings(doc)).toEqual(['Notes', 'Annex']);
  });

  it('keeps what a collaborator types into a section while someone else moves it', () => {
    const a = new Y.Doc();
    initBriefing(a, { title: 'T' });
    const b = replica(a);
    const bluf = getSections(a)[0]!;
    moveSection(a, bluf.id, 3);
    write(getSections(b)[0]!.body, 'typed during the move');
    sync(a, b);
    expect(headings(a)).toEqual([
      'Background and timeline',
      'Lessons',
      'Recommendations summary',
      'Bottom line up front',
    ]);
    expect(headings(b)).toEqual(headings(a));
    expect(richTextToPlainText(getSections(a)[3]!.body)).toBe('typed during the move');
  });

  it('gives both replicas the same order when two people move sections at once', () => {
    const a = new Y.Doc();
    initBriefing(a, { title: 'T', template: 'after-action-review' });
    const b = replica(a);
    const ids = getSections(a).map((s) => s.id);
    moveSection(a, ids[5]!, 0);
    moveSection(b, ids[1]!, 5);
    moveSection(b, ids[5]!, 2);
    sync(a, b);
    expect(headings(a)).toEqual(headings(b));
    expect(new Set(headings(a)).size).toBe(6);
  });

  it('orders two sections added at the same place at once the same way on both replicas', () => {
    const a = new Y.Doc();
    initBriefing(a, { title: 'T', template: 'blank' });
    const b = replica(a);
    const fromA = addSection(a, { heading: 'From A', index: 0 });
    addSection(b, { heading: 'From B', index: 0 });
    sync(a, b);
    expect(headings(a)).toEqual(headings(b));
    // Equal keys are told apart the next time anything moves among them.
    moveSection(a, fromA, 2);
    sync(a, b);
    expect(headings(a)).toEqual(headings(b));
    expect(headings(a)[2]).toBe('From A');
  });
});

describe('lesson order', () => {
  it('moves lessons by their order key and keeps what is written in them', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T', template: 'blank' });
    const one = addLesson(doc, { title: 'One' });
    addLesson(doc, { title: 'Two' });
    addLesson(doc, { title: 'Three' });
    write(getLessons(doc)[0]!.bodies.observation, 'seen first');
    moveLesson(doc, one, 2);
    expect(getLessons(doc).map((l) => l.title)).toEqual(['Two', 'Three', 'One']);
    expect(richTextToPlainText(getLessons(doc)[2]!.bodies.observation)).toBe('seen first');
  });
});
