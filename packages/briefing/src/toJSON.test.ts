import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAuthor,
  appendExcerpt,
  BriefingJSONSchema,
  briefingPlainText,
  briefingToJSON,
  getLessons,
  getSections,
  initBriefing,
  rangeAnchor,
  setEvent,
  setMarking,
  setPeriod,
  startThread,
  updateLesson,
} from './index.ts';
import { quote, write } from './testing.ts';

describe('briefingToJSON (schema version 2)', () => {
  it('carries everything export needs, and its own zod schema accepts it', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'Secure comms failures' });
    setMarking(doc, { classification: 'UNCLASSIFIED', tlp: 'TLP:GREEN' });
    setEvent(doc, 'Taurus Webex call');
    setPeriod(doc, { start: '2024-02-19', end: '2024-03-01' });
    addAuthor(doc, 'Ana Analyst');
    const [bluf] = getSections(doc);
    write(bluf!.body, 'Dial-in defeats a certified platform.');
    const lesson = getLessons(doc)[0]!;
    updateLesson(doc, lesson.id, { title: 'Dial-in', capabilityArea: 'policy', owner: 'J6', dueDate: '2024-09-01' });
    write(lesson.bodies.conclusion, 'Policy allowed unsecured dial-in.');
    const excerptId = appendExcerpt(
      doc,
      { kind: 'lesson', lessonId: lesson.id, field: 'observation' },
      quote('s1', 'dialed in'),
    );
    const blufAt = { kind: 'section' as const, sectionId: bluf!.id };
    startThread(doc, { anchor: rangeAnchor(doc, blufAt, 0, 7), author: { id: 'u', name: 'Ana' }, body: 'Say who.' });
    startThread(doc, { anchor: { kind: 'excerpt', excerptId }, author: { id: 'u', name: 'Ana' }, body: 'Good quote.' });

    const json = briefingToJSON(doc);
    expect(BriefingJSONSchema.parse(json)).toEqual(json);
    expect(json).toMatchObject({
      schemaVersion: 2,
      title: 'Secure comms failures',
      template: 'lessons-learned',
      marking: { classification: 'UNCLASSIFIED', tlp: 'TLP:GREEN' },
      event: 'Taurus Webex call',
      period: { start: '2024-02-19', end: '2024-03-01' },
      authors: ['Ana Analyst'],
      status: 'draft',
    });
    expect(json.sections.map((s) => s.kind)).toEqual(['bluf', 'background', 'lessons', 'recommendations']);
    expect(json.lessons[0]).toMatchObject({
      title: 'Dial-in',
      capabilityArea: 'policy',
      status: 'observation',
      owner: 'J6',
      dueDate: '2024-09-01',
      conclusion: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Policy allowed unsecured dial-in.' }] }],
      },
      evidence: { sourceCount: 1, warnings: ['single_source'] },
    });
    expect(json.lessons[0]!.observation.content?.[0]).toMatchObject({
      type: 'excerpt',
      attrs: { excerptId, sourceId: 's1' },
    });
    expect(json.excerpts).toEqual([
      expect.objectContaining({
        excerptId,
        exact: 'dialed in',
        status: 'pending',
        citationNumber: 1,
        ordinal: 0,
        location: { kind: 'lesson', lessonId: lesson.id, field: 'observation' },
      }),
    ]);
    expect(json.comments.map((c) => [c.anchor, c.location, c.detached, c.messages[0]!.body])).toEqual([
      [{ kind: 'range', quote: 'Dial-in', originalQuote: 'Dial-in' }, blufAt, false, 'Say who.'],
      [
        { kind: 'excerpt', excerptId, quote: 'dialed in' },
        { kind: 'lesson', lessonId: lesson.id, field: 'observation' },
        false,
        'Good quote.',
      ],
    ]);
    expect(briefingPlainText(doc)).toContain('Policy allowed unsecured dial-in.');
  });

  it('is what BriefingJSONSchema refuses when a field is wrong (export checks before rendering)', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const json = briefingToJSON(doc);
    expect(BriefingJSONSchema.safeParse({ ...json, marking: { classification: null, tlp: 'TLP:WHITE' } }).success).toBe(
      false,
    );
    expect(BriefingJSONSchema.safeParse({ ...json, status: 'published' }).success).toBe(false);
  });
});
