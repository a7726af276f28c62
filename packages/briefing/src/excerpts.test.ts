import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendExcerpt,
  citationNumbers,
  createExcerptElement,
  getExcerpts,
  getSections,
  initBriefing,
} from './index.ts';

const quote = (sourceId: string, exact: string) => ({
  sourceId,
  exact,
  prefix: 'before ',
  suffix: ' after',
  start: 10,
  end: 10 + exact.length,
  quoteSha256: 'f'.repeat(64),
});

describe('excerpts', () => {
  it('lists excerpts in reading order across sections, nested blocks included', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const [bluf, observations] = getSections(doc);
    appendExcerpt(doc, observations!.id, quote('s2', 'second'));
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.push([createExcerptElement(quote('s1', 'first, nested'))]);
    list.push([item]);
    bluf!.body.push([list]);
    const excerpts = getExcerpts(doc);
    expect(excerpts.map((e) => [e.exact, e.sectionId, e.ordinal, e.status])).toEqual([
      ['first, nested', bluf!.id, 0, 'pending'],
      ['second', observations!.id, 1, 'pending'],
    ]);
    expect(excerpts[1]).toMatchObject({ start: 10, end: 16, prefix: 'before ', note: '' });
  });

  it('numbers citations by each source’s first appearance', () => {
    expect([...citationNumbers([{ sourceId: 'b' }, { sourceId: 'a' }, { sourceId: 'b' }, { sourceId: 'c' }])]).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 3],
    ]);
  });

  it('skips excerpt elements written without a source or quote', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const bogus = new Y.XmlElement('excerpt');
    bogus.setAttribute('excerptId', 'x');
    getSections(doc)[0]!.body.push([bogus]);
    expect(getExcerpts(doc)).toEqual([]);
  });
});
