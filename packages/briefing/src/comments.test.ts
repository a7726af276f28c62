import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  anchorText,
  appendExcerpt,
  getLessons,
  getSections,
  getThreads,
  initBriefing,
  rangeAnchor,
  replyToThread,
  resolveAnchor,
  setThreadResolved,
  startThread,
} from './index.ts';
import { quote, replica, sync, write } from './testing.ts';

const ana = { id: 'u-ana', name: 'Ana Analyst' };
const ben = { id: 'u-ben', name: 'Ben Briefer' };

function briefing() {
  const doc = new Y.Doc();
  initBriefing(doc, { title: 'T' });
  const bluf = getSections(doc)[0]!;
  write(bluf.body, 'The call was intercepted because one officer dialled in.');
  return { doc, location: { kind: 'section' as const, sectionId: bluf.id }, body: bluf.body };
}

describe('comment threads', () => {
  it('follow the text they are on while people type before and inside it', () => {
    const { doc, location, body } = briefing();
    const text = anchorText(body);
    const from = text.indexOf('one officer');
    const anchor = rangeAnchor(doc, location, from, from + 'one officer dialled in'.length);
    const id = startThread(doc, { anchor, author: ana, body: 'Which officer? Cite the report.' });
    const paragraphText = (body.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    paragraphText.insert(0, 'In February 2024, ');
    paragraphText.insert(paragraphText.toString().indexOf('officer') + 7, ' (a Luftwaffe brigadier)');
    const where = resolveAnchor(doc, getThreads(doc)[0]!.anchor);
    expect(where).toMatchObject({ location, detached: false, quote: 'one officer (a Luftwaffe brigadier) dialled in' });
    expect(getThreads(doc).map((t) => t.id)).toEqual([id]);
  });

  it('are detached, never lost, when the text they were on is deleted', () => {
    const { doc, location, body } = briefing();
    const id = startThread(doc, { anchor: rangeAnchor(doc, location, 4, 8), author: ana, body: 'Wording?' });
    body.delete(0, 1);
    write(body, 'Rewritten.');
    expect(resolveAnchor(doc, getThreads(doc)[0]!.anchor)).toMatchObject({ detached: true, location: null });
    expect(getThreads(doc)[0]).toMatchObject({ id, anchor: { quote: 'call' } });
  });

  it('hold replies, resolve and reopen with the history kept, and sync to every replica', () => {
    const { doc: a, location } = briefing();
    const b = replica(a);
    const id = startThread(a, { anchor: rangeAnchor(a, location, 0, 3), author: ana, body: 'First' });
    sync(a, b);
    replyToThread(b, id, { author: ben, body: '  Answered.  ' });
    setThreadResolved(b, id, true, ben);
    sync(a, b);
    setThreadResolved(a, id, false, ana);
    replyToThread(a, id, { author: ana, body: 'Not quite.' });
    sync(a, b);
    const [thread] = getThreads(b);
    expect(thread!.resolved).toBe(false);
    expect(thread!.messages.map((m) => [m.kind, m.author.name, m.body])).toEqual([
      ['comment', 'Ana Analyst', 'First'],
      ['comment', 'Ben Briefer', 'Answered.'],
      ['resolved', 'Ben Briefer', ''],
      ['reopened', 'Ana Analyst', ''],
      ['comment', 'Ana Analyst', 'Not quite.'],
    ]);
    expect(getThreads(a)).toEqual(getThreads(b));
  });

  it('anchor to an excerpt, wherever the excerpt is moved', () => {
    const { doc } = briefing();
    const lesson = getLessons(doc)[0]!.id;
    const excerptId = appendExcerpt(doc, getSections(doc)[1]!.id, quote('s1', 'the quoted passage'));
    startThread(doc, { anchor: { kind: 'excerpt', excerptId }, author: ana, body: 'Strong evidence.' });
    // Moving an excerpt is deleting it in one body and inserting the same attributes in another.
    getSections(doc)[1]!.body.delete(0, 1);
    const moved = new Y.XmlElement('excerpt');
    getLessons(doc)[0]!.bodies.observation.push([moved]);
    for (const [key, value] of Object.entries({ ...quote('s1', 'the quoted passage'), excerptId })) {
      moved.setAttribute(key, value as string);
    }
    expect(resolveAnchor(doc, getThreads(doc)[0]!.anchor)).toEqual({
      location: { kind: 'lesson', lessonId: lesson, field: 'observation' },
      quote: 'the quoted passage',
      from: null,
      to: null,
      detached: false,
    });
  });

  it('refuse an empty comment and a range outside the text', () => {
    const { doc, location } = briefing();
    expect(() => startThread(doc, { anchor: rangeAnchor(doc, location, 0, 3), author: ana, body: '  ' })).toThrow(
      'comment: must not be empty',
    );
    expect(() => rangeAnchor(doc, location, 10, 500)).toThrow(/not within the text/);
    expect(getThreads(doc)).toEqual([]);
  });
});
