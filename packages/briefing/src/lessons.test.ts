import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLesson,
  appendExcerpt,
  BriefingSchemaError,
  findLesson,
  getBodies,
  getExcerpts,
  getLessons,
  getSections,
  initBriefing,
  lessonEvidence,
  removeLesson,
  richTextToPlainText,
  updateLesson,
} from './index.ts';
import { quote, replica, sync, write } from './testing.ts';

const lessonsDoc = () => {
  const doc = new Y.Doc();
  initBriefing(doc, { title: 'Webex intercept' });
  return doc;
};

describe('lesson entries', () => {
  it('start as an observation with every field empty and four bodies', () => {
    const doc = lessonsDoc();
    const [lesson] = getLessons(doc);
    expect(lesson).toMatchObject({
      title: '',
      capabilityArea: null,
      status: 'observation',
      actionBody: '',
      owner: '',
      dueDate: null,
    });
    expect(Object.keys(lesson!.bodies)).toEqual(['observation', 'discussion', 'conclusion', 'recommendation']);
  });

  it('take every field, and refuse a bad one whole, naming it', () => {
    const doc = lessonsDoc();
    const id = addLesson(doc, { title: 'Dial-in from an unsecured line defeats a certified platform' });
    updateLesson(doc, id, {
      capabilityArea: 'training',
      status: 'action_planned',
      actionBody: 'Bundeswehr Cyber and Information Domain Service',
      owner: 'J6',
      dueDate: '2024-06-30',
    });
    expect(findLesson(doc, id)).toMatchObject({ capabilityArea: 'training', status: 'action_planned', owner: 'J6' });
    expect(() => updateLesson(doc, id, { owner: 'J2', capabilityArea: 'logistics' as never })).toThrow(
      /^lesson capabilityArea: must be one of doctrine, organisation, training, materiel, leadership, personnel, facilities, policy$/,
    );
    expect(() => updateLesson(doc, id, { dueDate: '30/06/2024' })).toThrow(BriefingSchemaError);
    expect(() => updateLesson(doc, id, { colour: 'red' } as never)).toThrow(/colour/);
    expect(findLesson(doc, id)?.owner).toBe('J6');
    removeLesson(doc, id);
    expect(findLesson(doc, id)).toBeUndefined();
  });

  it('converge when two people edit different lessons and the same field at once', () => {
    const a = lessonsDoc();
    const b = replica(a);
    const first = getLessons(a)[0]!.id;
    const second = addLesson(b, { title: 'Era phones failed' });
    updateLesson(a, first, { title: 'Webex dial-in' });
    write(getLessons(a)[0]!.bodies.observation, 'An officer dialled in from a hotel.');
    updateLesson(b, first, { status: 'lesson_identified' });
    write(getLessons(b)[0]!.bodies.observation, 'The call was recorded.');
    sync(a, b);
    for (const doc of [a, b]) {
      expect(getLessons(doc).map((l) => [l.id, l.title, l.status])).toEqual([
        [first, 'Webex dial-in', 'lesson_identified'],
        [second, 'Era phones failed', 'observation'],
      ]);
    }
    expect(richTextToPlainText(getLessons(a)[0]!.bodies.observation)).toBe(
      richTextToPlainText(getLessons(b)[0]!.bodies.observation),
    );
  });

  it('are read after the Lessons section, field by field, in every reading-order list', () => {
    const doc = lessonsDoc();
    const lesson = getLessons(doc)[0]!.id;
    const [bluf, , lessons, recommendations] = getSections(doc);
    expect(getBodies(doc).map((b) => b.location)).toEqual([
      { kind: 'section', sectionId: bluf!.id },
      { kind: 'section', sectionId: getSections(doc)[1]!.id },
      { kind: 'section', sectionId: lessons!.id },
      { kind: 'lesson', lessonId: lesson, field: 'observation' },
      { kind: 'lesson', lessonId: lesson, field: 'discussion' },
      { kind: 'lesson', lessonId: lesson, field: 'conclusion' },
      { kind: 'lesson', lessonId: lesson, field: 'recommendation' },
      { kind: 'section', sectionId: recommendations!.id },
    ]);
    appendExcerpt(doc, recommendations!.id, quote('s3', 'last'));
    appendExcerpt(doc, { kind: 'lesson', lessonId: lesson, field: 'conclusion' }, quote('s2', 'middle'));
    appendExcerpt(doc, bluf!.id, quote('s1', 'first'));
    expect(getExcerpts(doc).map((e) => [e.exact, e.sectionId])).toEqual([
      ['first', bluf!.id],
      ['middle', lesson],
      ['last', recommendations!.id],
    ]);
  });
});

describe('evidence strength', () => {
  it('counts distinct sources per lesson and warns on one source, none, or a quote not anchored', () => {
    const doc = lessonsDoc();
    const strong = getLessons(doc)[0]!.id;
    const weak = addLesson(doc, { title: 'One source' });
    const empty = addLesson(doc, { title: 'Nothing yet' });
    const at = (lessonId: string, field: 'observation' | 'conclusion') => ({
      kind: 'lesson' as const,
      lessonId,
      field,
    });
    appendExcerpt(doc, at(strong, 'observation'), quote('source-a', 'one'));
    appendExcerpt(doc, at(strong, 'conclusion'), quote('source-b', 'two'));
    appendExcerpt(doc, at(strong, 'conclusion'), quote('source-a', 'three'));
    appendExcerpt(doc, at(weak, 'observation'), quote('source-a', 'four'));
    const orphan = getExcerpts(doc).find((e) => e.exact === 'four')!.element;
    orphan.setAttribute('status', 'orphaned');
    const evidence = lessonEvidence(doc);
    expect(evidence.get(strong)).toMatchObject({
      excerptCount: 3,
      sourceIds: ['source-a', 'source-b'],
      sourceCount: 2,
      strength: 'corroborated',
      warnings: [],
    });
    expect(evidence.get(weak)).toMatchObject({
      sourceCount: 1,
      strength: 'single_source',
      unanchored: [{ status: 'orphaned' }],
      warnings: ['single_source', 'unanchored_excerpt'],
    });
    expect(evidence.get(empty)).toMatchObject({ excerptCount: 0, strength: 'none', warnings: ['no_evidence'] });
  });

  it('counts a moved quote as anchored and a malformed excerpt element as not', () => {
    const doc = lessonsDoc();
    const lesson = getLessons(doc)[0]!.id;
    const where = { kind: 'lesson' as const, lessonId: lesson, field: 'observation' as const };
    appendExcerpt(doc, where, quote('source-a', 'moved quote'));
    appendExcerpt(doc, where, quote('source-b', 'other'));
    getExcerpts(doc)[0]!.element.setAttribute('status', 'moved');
    getExcerpts(doc)[1]!.element.setAttribute('start', '12' as never);
    expect(lessonEvidence(doc).get(lesson)).toMatchObject({
      sourceCount: 1,
      unanchored: [{ status: 'invalid' }],
      warnings: ['single_source', 'unanchored_excerpt'],
    });
  });
});
