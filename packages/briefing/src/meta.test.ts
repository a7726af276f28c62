import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAuthor,
  BriefingSchemaError,
  getAuthors,
  getEvent,
  getMarking,
  getPeriod,
  getStatus,
  initBriefing,
  removeAuthor,
  setEvent,
  setMarking,
  setPeriod,
  setStatus,
  TLP_LABELS,
} from './index.ts';
import { replica, sync } from './testing.ts';

const fresh = () => {
  const doc = new Y.Doc();
  initBriefing(doc, { title: 'Webex intercept' });
  return doc;
};

describe('briefing fields', () => {
  it('starts as an unmarked draft with no event, period or authors', () => {
    const doc = fresh();
    expect(getMarking(doc)).toEqual({ classification: null, tlp: null });
    expect(getStatus(doc)).toBe('draft');
    expect(getEvent(doc)).toBe('');
    expect(getPeriod(doc)).toEqual({ start: null, end: null });
    expect(getAuthors(doc)).toEqual([]);
  });

  it('takes a classification banner and a TLP 2.0 label together, the label exactly as TLP spells it', () => {
    const doc = fresh();
    setMarking(doc, { classification: '  UNCLASSIFIED  ', tlp: 'TLP:AMBER+STRICT' });
    expect(getMarking(doc)).toEqual({ classification: 'UNCLASSIFIED', tlp: 'TLP:AMBER+STRICT' });
    expect(TLP_LABELS).toEqual(['TLP:RED', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:GREEN', 'TLP:CLEAR']);
    for (const wrong of ['TLP: AMBER', 'tlp:amber', 'TLP:WHITE', 'AMBER']) {
      expect(() => setMarking(doc, { tlp: wrong as never })).toThrow(
        /^marking tlp: must be exactly one of TLP:RED, TLP:AMBER, TLP:AMBER\+STRICT, TLP:GREEN, TLP:CLEAR$/,
      );
    }
    expect(getMarking(doc).tlp).toBe('TLP:AMBER+STRICT');
    setMarking(doc, { classification: '' });
    expect(getMarking(doc)).toEqual({ classification: null, tlp: 'TLP:AMBER+STRICT' });
  });

  it('refuses a period that ends before it starts, or a date that does not exist, and keeps the old one', () => {
    const doc = fresh();
    setPeriod(doc, { start: '2024-02-19', end: '2024-03-01' });
    expect(() => setPeriod(doc, { end: '2024-02-01' })).toThrow('period end: must not end before it starts');
    expect(() => setPeriod(doc, { start: '2024-02-30' })).toThrow('period start: must be a date that exists');
    expect(() => setPeriod(doc, { start: '19.02.2024' })).toThrow(/YYYY-MM-DD/);
    expect(getPeriod(doc)).toEqual({ start: '2024-02-19', end: '2024-03-01' });
  });

  it('keeps both authors when two people add themselves at once, and never the same name twice', () => {
    const a = fresh();
    const b = replica(a);
    addAuthor(a, 'Ana Analyst');
    addAuthor(b, 'Ben Briefer');
    addAuthor(b, ' Ben   Briefer ');
    sync(a, b);
    expect(getAuthors(a).sort()).toEqual(['Ana Analyst', 'Ben Briefer']);
    expect(getAuthors(b)).toEqual(getAuthors(a));
    removeAuthor(a, 'Ana Analyst');
    expect(getAuthors(a)).toEqual(['Ben Briefer']);
    expect(() => addAuthor(a, '   ')).toThrow('author: must not be empty');
  });

  it('names the event in one line and refuses an unknown status', () => {
    const doc = fresh();
    setEvent(doc, 'Operation\nSilent   Line');
    expect(getEvent(doc)).toBe('Operation Silent Line');
    expect(() => setEvent(doc, 'x'.repeat(201))).toThrow(BriefingSchemaError);
    setStatus(doc, 'final');
    expect(getStatus(doc)).toBe('final');
    expect(() => setStatus(doc, 'done' as never)).toThrow('status: must be one of draft, in_review, final');
  });

  it('reads values a foreign client wrote in a wrong shape as unset', () => {
    const doc = fresh();
    const meta = doc.getMap('meta');
    meta.set('tlp', 'amber');
    meta.set('status', 7);
    meta.set('periodStart', '2024-13-01');
    meta.set('authors', 'Ana');
    expect(getMarking(doc).tlp).toBeNull();
    expect(getStatus(doc)).toBe('draft');
    expect(getPeriod(doc).start).toBeNull();
    expect(getAuthors(doc)).toEqual([]);
  });
});
