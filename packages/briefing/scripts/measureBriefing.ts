/**
 * Measures a 50-lesson briefing: each lesson with four bodies of three paragraphs and two
 * excerpts, plus 30 comment threads. Figures: document size, load (applying the stored state),
 * toJSON (what export and version previews read), evidence, comparing a version with the current
 * state after 100 edits, and restoring that version. Median of 7 runs after 2 warm-ups.
 * Run: npm run measure:briefing -w @debrief/briefing
 */
import * as Y from 'yjs';
import {
  addLesson,
  appendExcerpt,
  briefingToJSON,
  diffBriefings,
  getLessons,
  getSections,
  initBriefing,
  LESSON_FIELDS,
  lessonEvidence,
  rangeAnchor,
  restoreVersion,
  startThread,
  updateLesson,
} from '../src/index.ts';

const LESSONS = 50;
const words = 'the officer dialled in from a hotel line and the call was recorded by a foreign service'.split(' ');
const sentence = (n: number) => Array.from({ length: 24 }, (_, i) => words[(n + i) % words.length]).join(' ');

function paragraphs(body: Y.XmlFragment, count: number, seed: number): void {
  for (let i = 0; i < count; i++) {
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    p.insert(0, [t]);
    body.push([p]);
    t.insert(0, `${sentence(seed + i)}.`);
  }
}

function build(): Y.Doc {
  const doc = new Y.Doc();
  initBriefing(doc, { title: 'Fifty lessons' });
  for (let i = 1; i < LESSONS; i++) addLesson(doc, { title: `Lesson ${i + 1}` });
  getLessons(doc).forEach((lesson, i) => {
    updateLesson(doc, lesson.id, { capabilityArea: 'training', owner: 'J6' });
    for (const field of LESSON_FIELDS) paragraphs(lesson.bodies[field], 3, i);
    for (const field of ['observation', 'conclusion'] as const) {
      appendExcerpt(
        doc,
        { kind: 'lesson', lessonId: lesson.id, field },
        {
          sourceId: `source-${(i + (field === 'conclusion' ? 1 : 0)) % 7}`,
          exact: sentence(i).slice(0, 60),
          start: 100,
          end: 160,
          quoteSha256: 'a'.repeat(64),
        },
      );
    }
  });
  for (const section of getSections(doc)) paragraphs(section.body, 5, 3);
  for (let i = 0; i < 30; i++) {
    const lesson = getLessons(doc)[i]!;
    const at = { kind: 'lesson' as const, lessonId: lesson.id, field: 'discussion' as const };
    startThread(doc, { anchor: rangeAnchor(doc, at, 4, 30), author: { id: 'u', name: 'Ana' }, body: 'Source?' });
  }
  return doc;
}

function median(run: () => void): number {
  for (let i = 0; i < 2; i++) run();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[3]!;
}

const doc = build();
const version = Y.encodeStateAsUpdate(doc);
const edited = new Y.Doc();
Y.applyUpdate(edited, version);
getLessons(edited).forEach((lesson, i) => {
  if (i % 2 === 0) {
    const p = lesson.bodies.discussion.get(0) as Y.XmlElement;
    (p.get(0) as Y.XmlText).insert(0, 'Edited. ');
    paragraphs(lesson.bodies.recommendation, 1, i + 9);
  }
});
const current = Y.encodeStateAsUpdate(edited);
const versionJSON = briefingToJSON(doc);

const ms = (value: number) => `${value.toFixed(1)} ms`;
const figures = {
  'document state': `${(version.byteLength / 1024).toFixed(0)} KiB`,
  'load (apply the stored state)': ms(median(() => Y.applyUpdate(new Y.Doc(), version))),
  briefingToJSON: ms(median(() => briefingToJSON(doc))),
  'evidence of every lesson': ms(median(() => lessonEvidence(doc))),
  'compare a version with now (toJSON of now + diff)': ms(
    median(() => diffBriefings(versionJSON, briefingToJSON(edited))),
  ),
  'restore the version (100 edits since)': ms(
    median(() => {
      const live = new Y.Doc();
      Y.applyUpdate(live, current);
      restoreVersion(live, version, 'measure');
    }),
  ),
};
console.log(`50-lesson briefing, Node ${process.version}`);
for (const [what, value] of Object.entries(figures)) console.log(`  ${what}: ${value}`);
