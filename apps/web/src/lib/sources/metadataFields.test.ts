import { describe, expect, it } from 'vitest';
import type { CslMetadata } from '../api.ts';
import { fieldsFromCsl, metadataPatch } from './metadataFields.ts';

const ORIGINAL = {
  type: 'article-newspaper',
  title: 'Pistorius: an officer’s mistake',
  'container-title': 'WION',
  author: [{ literal: 'Associated Press' }, { given: 'Jane', family: 'Doe' }],
  issued: { 'date-parts': [[2024, 3, 5]] },
  URL: 'https://example.org/story',
} as CslMetadata;

describe('metadata fields', () => {
  it('turns CSL into one string per form field', () => {
    expect(fieldsFromCsl(ORIGINAL)).toEqual({
      title: 'Pistorius: an officer’s mistake',
      publisher: 'WION',
      authors: 'Associated Press; Jane Doe',
      issued: '2024-03-05',
      url: 'https://example.org/story',
    });
    expect(fieldsFromCsl({} as CslMetadata)).toEqual({ title: '', publisher: '', authors: '', issued: '', url: '' });
  });

  it('patches only what the person changed, an emptied field as null', () => {
    const fields = { ...fieldsFromCsl(ORIGINAL), title: '  New   title ', publisher: '' };
    expect(metadataPatch(fields, ORIGINAL)).toEqual({
      patch: { title: 'New title', 'container-title': null },
      errors: {},
    });
    expect(metadataPatch({ ...fieldsFromCsl(ORIGINAL), title: `${ORIGINAL.title} ` }, ORIGINAL).patch).toEqual({});
  });

  it('keeps names it was given as they were, and splits new ones into given and family', () => {
    const fields = { ...fieldsFromCsl(ORIGINAL), authors: 'Associated Press; Mary Ann  Smith; Reuters' };
    expect(metadataPatch(fields, ORIGINAL).patch.author).toEqual([
      { literal: 'Associated Press' },
      { given: 'Mary Ann', family: 'Smith' },
      { literal: 'Reuters' },
    ]);
    expect(metadataPatch({ ...fields, authors: ' ; ' }, ORIGINAL).patch.author).toBeNull();
  });

  it('accepts a year, a month or a day, and refuses dates that do not exist', () => {
    const withDate = (issued: string) => metadataPatch({ ...fieldsFromCsl(ORIGINAL), issued }, ORIGINAL);
    expect(withDate('2023').patch.issued).toEqual({ 'date-parts': [[2023]] });
    expect(withDate('2023-07').patch.issued).toEqual({ 'date-parts': [[2023, 7]] });
    expect(withDate('2024-02-29').patch.issued).toEqual({ 'date-parts': [[2024, 2, 29]] });
    expect(withDate('').patch.issued).toBeNull();
    for (const bad of ['2023-02-29', '2024-13-01', '5 March 2024', '2024-04-31']) {
      expect(withDate(bad), bad).toEqual({ patch: {}, errors: { issued: expect.stringContaining('YYYY-MM-DD') } });
    }
  });

  it('takes only web addresses for the URL', () => {
    const withUrl = (url: string) => metadataPatch({ ...fieldsFromCsl(ORIGINAL), url }, ORIGINAL);
    expect(withUrl('http://example.org/other').patch.URL).toBe('http://example.org/other');
    expect(withUrl('').patch.URL).toBeNull();
    expect(withUrl('javascript:alert(1)').errors.url).toContain('https://');
    expect(withUrl('example.org').errors.url).toContain('https://');
  });
});
