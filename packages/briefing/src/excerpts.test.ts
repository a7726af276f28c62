import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendExcerpt,
  checkExcerpt,
  citationNumbers,
  createExcerptElement,
  EXCERPT_STATUSES,
  ExcerptAttrsSchema,
  ExcerptShapeError,
  ExcerptStatusSchema,
  excerptSpan,
  getExcerpts,
  getSections,
  initBriefing,
  inspectExcerpts,
  newExcerptAttrs,
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

describe('excerpt shape', () => {
  const exact = 'One officer dialed in with his cellphone from a Singapore hotel room.';
  const correct = {
    excerptId: '7d0c3d2e-6a43-4d38-9a55-0b3f7e4b1a10',
    sourceId: '0e5bb2a4-3c83-4a6f-8a0e-2c8e3f6f9d11',
    exact,
    prefix: ', the online conferencing tool. ',
    suffix: '\n\nThe meeting focused on how Ger',
    start: 908,
    end: 908 + exact.length,
    quoteSha256: '2deb40ce09bdc8bdff3af05bb4507b47bdb2dc61940d2648353f7f88c4ab65c5',
  };
  const reasonFor = (attributes: Record<string, unknown>) => {
    const shape = checkExcerpt(attributes);
    return shape.valid ? null : shape.reason;
  };

  it('accepts an excerpt written as the document schema says, with the server’s verdict not yet there', () => {
    const shape = checkExcerpt(correct);
    expect(shape).toEqual({
      valid: true,
      attrs: {
        ...correct,
        note: '',
        credibility: null,
        status: 'pending',
        statusReason: null,
        anchoredStart: null,
        anchoredEnd: null,
      },
    });
    expect(checkExcerpt({ ...correct, prefix: undefined, suffix: undefined }).valid).toBe(true);
  });

  it('takes an Admiralty credibility grade from 1 to 6, or none', () => {
    expect(checkExcerpt({ ...correct, credibility: 2 })).toMatchObject({ valid: true, attrs: { credibility: 2 } });
    expect(checkExcerpt({ ...correct, credibility: null })).toMatchObject({
      valid: true,
      attrs: { credibility: null },
    });
    expect(reasonFor({ ...correct, credibility: 7 })).toBe('credibility must be a whole number from 1 to 6');
    expect(reasonFor({ ...correct, credibility: 2.5 })).toBe('credibility must be a whole number from 1 to 6');
    expect(reasonFor({ ...correct, credibility: 'B2' })).toBe(
      'credibility must be a whole number from 1 to 6, not the string "B2"',
    );
  });

  it('reads the server’s verdict leniently: a client cannot make an excerpt invalid through it', () => {
    const shape = checkExcerpt({ ...correct, status: 'banana', statusReason: 7, anchoredStart: '908' });
    expect(shape).toMatchObject({ valid: true, attrs: { status: 'pending', statusReason: null, anchoredStart: null } });
    expect(checkExcerpt({ ...correct, status: 'moved', anchoredStart: 5, anchoredEnd: 74 })).toMatchObject({
      attrs: { status: 'moved', anchoredStart: 5, anchoredEnd: 74 },
    });
  });

  it('names what is missing or of the wrong type', () => {
    const { excerptId: _id, ...noId } = correct;
    expect(reasonFor(noId)).toBe('excerptId is missing');
    const { sourceId: _s, exact: _e, ...noSource } = correct;
    expect(reasonFor(noSource)).toBe('sourceId is missing; exact is missing');
    expect(reasonFor({ ...correct, start: '908', end: String(correct.end) })).toBe(
      `start must be a number, not the string "908"; end must be a number, not the string "${correct.end}"`,
    );
    expect(reasonFor({ ...correct, start: 1.5 })).toBe('start must be a whole number');
    expect(reasonFor({ ...correct, exact: '' })).toBe('exact must not be empty');
    expect(reasonFor({ ...correct, note: 42 })).toBe('note must be a string, not number 42');
    expect(reasonFor({ ...correct, quoteSha256: correct.quoteSha256.toUpperCase() })).toBe(
      'quoteSha256 must be the sha256 of exact as 64 lowercase hex digits',
    );
  });

  it('explains the nested W3C selector form instead of reporting only what is missing', () => {
    const nested = {
      excerptId: correct.excerptId,
      sourceId: correct.sourceId,
      quoteSha256: correct.quoteSha256,
      target: {
        source: correct.sourceId,
        selector: [
          { type: 'TextQuoteSelector', exact, prefix: correct.prefix, suffix: correct.suffix },
          { type: 'TextPositionSelector', start: correct.start, end: correct.end },
        ],
      },
    };
    const reason = reasonFor(nested);
    expect(reason).toMatch(/^has attribute "target", which an excerpt does not have \(selectors are never nested: /);
    expect(reason).toContain('exact is missing; start is missing; end is missing');
  });

  it('refuses an end that is not after its start', () => {
    expect(reasonFor({ ...correct, end: correct.start })).toBe('end must be greater than start');
  });

  it('builds new excerpts one way, refusing a passage the server would mark invalid', () => {
    const { excerptId: _id, ...passage } = correct;
    const attrs = newExcerptAttrs(passage);
    expect(attrs).toMatchObject({ ...passage, note: '', status: 'pending', statusReason: null, anchoredStart: null });
    expect(attrs.excerptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newExcerptAttrs(passage).excerptId).not.toBe(attrs.excerptId);
    expect(ExcerptAttrsSchema.parse(attrs)).toEqual(attrs);
    expect(() => newExcerptAttrs({ ...passage, end: passage.start })).toThrow(ExcerptShapeError);
    const element = createExcerptElement(passage);
    new Y.Doc().getXmlFragment('body').push([element]);
    // Left-out nulls, as y-prosemirror writes the node: the element and the node read the same.
    expect(Object.keys(element.getAttributes()).sort()).toEqual(
      ['end', 'exact', 'excerptId', 'note', 'prefix', 'quoteSha256', 'sourceId', 'start', 'status', 'suffix'].sort(),
    );
  });

  it('splits a briefing’s excerpt elements into well-formed and wrong-shaped ones, in reading order', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const [bluf, observations] = getSections(doc);
    const bad = new Y.XmlElement('excerpt');
    bad.setAttribute('excerptId', 'x');
    bluf!.body.push([bad]);
    appendExcerpt(doc, observations!.id, quote('s1', 'quoted'));
    const { excerpts, invalid } = inspectExcerpts(doc);
    expect(excerpts.map((e) => [e.exact, e.ordinal])).toEqual([['quoted', 0]]);
    expect(invalid).toEqual([
      {
        sectionId: bluf!.id,
        location: { kind: 'section', sectionId: bluf!.id },
        element: bad,
        reason: 'sourceId is missing; exact is missing; start is missing; end is missing; quoteSha256 is missing',
      },
    ]);
  });

  it('locates a passage where the server found it, else where it was taken from, else nowhere', () => {
    const attrs = { ...newExcerptAttrs(quote('s1', 'quoted')), start: 10, end: 16 };
    expect(excerptSpan(attrs)).toEqual({ start: 10, end: 16 });
    expect(excerptSpan({ ...attrs, status: 'moved', anchoredStart: 40, anchoredEnd: 46 })).toEqual({
      start: 40,
      end: 46,
    });
    expect(excerptSpan({ ...attrs, status: 'anchored' })).toEqual({ start: 10, end: 16 });
    for (const status of ['orphaned', 'modified', 'invalid'] as const) {
      expect(excerptSpan({ ...attrs, status, anchoredStart: 40, anchoredEnd: 46 })).toBeNull();
    }
  });

  it('lists invalid among the statuses, in the enum clients and the API share', () => {
    expect(ExcerptStatusSchema.options).toEqual([...EXCERPT_STATUSES]);
    expect(EXCERPT_STATUSES).toContain('invalid');
  });
});
