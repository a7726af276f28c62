import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SourceDraft } from '../api.ts';
import { fakeServer, refusal } from '../testing/fakeServer.ts';
import { DraftReview, previewSegments } from './DraftReview.svelte.ts';

const NORMALISED = 'date 2024-03-05 Webex call intercepted.\n\nRead more »\nThe end.';

function draft(overrides: Partial<SourceDraft> = {}): SourceDraft {
  return {
    fileName: 'wion.txt',
    format: 'text',
    content: NORMALISED,
    normalised: NORMALISED,
    proposals: [
      { id: 'date_marker:0', kind: 'date_marker', start: 0, end: 16, text: 'date 2024-03-05 ', reason: 'clipper date' },
      { id: 'other_news:41', kind: 'other_news', start: 41, end: 53, text: 'Read more »\n', reason: 'teaser' },
    ],
    metadata: { type: 'article-newspaper', title: 'Webex call intercepted', issued: { 'date-parts': [[2024, 3, 5]] } },
    duplicate: null,
    ...overrides,
  } as SourceDraft;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('previewSegments', () => {
  it('cuts the text at the proposals, in text order, keeping everything', () => {
    const segments = previewSegments(NORMALISED, [...draft().proposals].reverse());
    expect(segments.map((s) => [s.text, s.proposal?.kind ?? null])).toEqual([
      ['date 2024-03-05 ', 'date_marker'],
      [NORMALISED.slice(16, 41), null],
      ['Read more »\n', 'other_news'],
      ['The end.', null],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(NORMALISED);
  });

  it('clips overlapping proposals instead of repeating text, and drops ones outside it', () => {
    const [a, b] = draft().proposals;
    const segments = previewSegments('0123456789', [
      { ...a!, start: 2, end: 6 },
      { ...b!, start: 4, end: 8 },
      { ...b!, id: 'far', start: 20, end: 30 },
    ]);
    expect(segments.map((s) => s.text)).toEqual(['01', '2345', '67', '89']);
  });
});

describe('DraftReview', () => {
  it('starts with every proposed removal accepted and the extracted metadata in the form', () => {
    const review = new DraftReview(draft());
    expect([...review.accepted]).toEqual(['date_marker:0', 'other_news:41']);
    expect(review.fields).toMatchObject({ title: 'Webex call intercepted', issued: '2024-03-05' });
    expect(review.label).toBe('wion.txt');
    expect(new DraftReview(draft({ fileName: undefined, url: 'https://example.org/a' })).label).toBe(
      'https://example.org/a',
    );
    expect(new DraftReview(draft({ fileName: undefined })).label).toBe('Pasted text');
  });

  it('saves the accepted removals and the corrected metadata only', async () => {
    const requests = fakeServer({
      'POST /api/sources': () => Response.json({ id: 's1', title: 'Corrected' }, { status: 201 }),
    });
    const review = new DraftReview(draft());
    review.toggle('other_news:41', false);
    review.fields.title = 'Corrected';
    expect(await review.save()).toBe(true);
    expect(requests).toEqual([
      {
        route: 'POST /api/sources',
        body: {
          format: 'text',
          content: NORMALISED,
          fileName: 'wion.txt',
          acceptedCleaning: ['date_marker:0'],
          metadata: { title: 'Corrected' },
        },
      },
    ]);
    expect(review.saved).toEqual({ id: 's1', title: 'Corrected' });
    expect(review.saving).toBe(false);
  });

  it('sends nothing while a field is invalid, and says which', async () => {
    const requests = fakeServer({});
    const review = new DraftReview(draft());
    review.fields.issued = 'March 2024';
    expect(await review.save()).toBe(false);
    expect(review.fieldErrors.issued).toMatch(/YYYY-MM-DD/);
    expect(requests).toEqual([]);
  });

  it('asks before saving a second copy, and saves it once the person confirms', async () => {
    let confirmed = false;
    const requests = fakeServer({
      'POST /api/sources': () =>
        confirmed
          ? Response.json({ id: 's2', title: 'Webex call intercepted' }, { status: 201 })
          : refusal(409, 'duplicate_source', 'Already in the library.', { sourceId: 's1', title: 'The first copy' }),
    });
    const review = new DraftReview(draft());
    expect(await review.save()).toBe(false);
    expect(review.duplicate).toEqual({ sourceId: 's1', title: 'The first copy' });
    expect(review.error).toBeNull();
    confirmed = true;
    expect(await review.save(true)).toBe(true);
    expect(review.duplicate).toBeNull();
    expect(requests.map((r) => (r.body as { allowDuplicate?: boolean }).allowDuplicate)).toEqual([undefined, true]);
  });

  it('shows the server’s reason for any other refusal', async () => {
    fakeServer({ 'POST /api/sources': () => refusal(413, 'source_too_large', 'The source is larger than 5 MiB.') });
    const review = new DraftReview(draft());
    expect(await review.save()).toBe(false);
    expect(review.error).toBe('The source is larger than 5 MiB.');
    expect(review.saved).toBeNull();
    expect(review.saving).toBe(false);
  });
});
