import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSource, getJson, postJson, startTestServer, type TestServer } from '@debrief/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchSource,
  previewSource,
  type SourceDetail,
  type SourceDraft,
  type SourceSummary,
  setApiBase,
  uploadSources,
} from '../api.ts';
import { DraftReview, type Proposal, previewSegments } from './DraftReview.svelte.ts';

const NORMALISED = 'date 2024-03-05 Webex call intercepted.\n\nRead more »\nThe end.';
const PROPOSALS: Proposal[] = [
  { id: 'date_marker:0', kind: 'date_marker', start: 0, end: 16, text: 'date 2024-03-05 ', reason: 'clipper date' },
  { id: 'other_news:41', kind: 'other_news', start: 41, end: 53, text: 'Read more »\n', reason: 'teaser' },
];

describe('previewSegments', () => {
  it('cuts the text at the proposals, in text order, keeping everything', () => {
    const segments = previewSegments(NORMALISED, [...PROPOSALS].reverse());
    expect(segments.map((s) => [s.text, s.proposal?.kind ?? null])).toEqual([
      ['date 2024-03-05 ', 'date_marker'],
      [NORMALISED.slice(16, 41), null],
      ['Read more »\n', 'other_news'],
      ['The end.', null],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(NORMALISED);
  });

  it('clips overlapping proposals instead of repeating text, and drops ones outside it', () => {
    const [a, b] = PROPOSALS;
    const segments = previewSegments('0123456789', [
      { ...a!, start: 2, end: 6 },
      { ...b!, start: 4, end: 8 },
      { ...b!, id: 'far', start: 20, end: 30 },
    ]);
    expect(segments.map((s) => s.text)).toEqual(['01', '2345', '67', '89']);
  });
});

// Below the server's default, and a whole number of megabytes: the refusal's message rounds to them.
const MAX_SOURCE_BYTES = 1024 * 1024;

/**
 * A clipped article as the sample corpus has them: a date marker, a headline and a block of
 * teasers for other news. `tag` makes each one's content its own, so that no test sees another's
 * copy in the library.
 */
const article = (tag: string) =>
  [
    'date 2024-03-05 Webex call intercepted',
    'Officials said the call was made on an unsecured line, and that it was intercepted.',
    'Related stories',
    'Storm hits the coast',
    'Thousands were evacuated as the storm reached the coast on Monday ... Read more »',
    `The end of the article (${tag}).`,
  ].join('\n\n');

describe('DraftReview', () => {
  let server: TestServer;
  let pages: Server;
  let pagesUrl = '';

  beforeAll(async () => {
    server = await startTestServer({ MAX_SOURCE_BYTES, SOURCE_FETCH_ALLOW_PRIVATE: true });
    setApiBase(server.url, { authorization: `Bearer ${server.account.token}` });
    // A page on the web, for an import by URL.
    pages = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(article('by URL'));
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => pages.once('listening', resolve));
    pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    pages?.close();
    await server?.close();
  });

  /** The server's draft of the article uploaded as a file of this name, as the import page gets it. */
  async function uploaded(fileName: string): Promise<SourceDraft> {
    const [draft] = await uploadSources([new File([article(fileName)], fileName, { type: 'text/plain' })]);
    if (!draft || 'error' in draft) throw new Error(`upload refused: ${JSON.stringify(draft)}`);
    return draft;
  }
  /** The ids of the library's sources imported from a file of this name. */
  async function library(fileName: string): Promise<string[]> {
    const { body } = await getJson<{ sources: SourceSummary[] }>(`${server.url}/api/sources`);
    return body.sources.filter((s) => s.fileName === fileName).map((s) => s.id);
  }

  it('starts with every proposed removal accepted and the extracted metadata in the form', async () => {
    const draft = await uploaded('wion.txt');
    expect(draft.proposals.map((p) => p.kind)).toEqual(['date_marker', 'other_news']);
    const review = new DraftReview(draft);
    expect([...review.accepted]).toEqual(draft.proposals.map((p) => p.id));
    expect(review.fields).toMatchObject({ title: 'Webex call intercepted', issued: '2024-03-05' });
    expect(review.label).toBe('wion.txt');
    expect(new DraftReview(await fetchSource(`${pagesUrl}/a`)).label).toBe(`${pagesUrl}/a`);
    expect(new DraftReview(await previewSource({ format: 'text', content: article('pasted') })).label).toBe(
      'Pasted text',
    );
  });

  it('saves the accepted removals and the corrected metadata only', async () => {
    const draft = await uploaded('saved.txt');
    const [marker, teaser] = draft.proposals as [Proposal, Proposal];
    const review = new DraftReview(draft);
    review.toggle(teaser.id, false);
    review.fields.title = 'Corrected';
    expect(await review.save()).toBe(true);
    expect(review.saved).toEqual({ id: expect.any(String), title: 'Corrected' });
    expect(review.saving).toBe(false);

    const { body: source } = await getJson<SourceDetail>(`${server.url}/api/sources/${review.saved!.id}`);
    expect(source).toMatchObject({ format: 'text', fileName: 'saved.txt', title: 'Corrected' });
    expect(source.cleaning.map((p) => [p.id, p.applied])).toEqual([
      [marker.id, true],
      [teaser.id, false],
    ]);
    expect(source.text).toBe(draft.normalised.slice(marker.end));
    // Nothing but the title differs from what the server extracted; the access date is the day of saving.
    expect(source.csl).toEqual({ ...draft.metadata, title: 'Corrected', accessed: source.csl.accessed });
  });

  it('sends nothing while a field is invalid, and says which', async () => {
    const draft = await uploaded('invalid-date.txt');
    const review = new DraftReview(draft);
    review.fields.issued = 'March 2024';
    expect(await review.save()).toBe(false);
    expect(review.fieldErrors.issued).toMatch(/YYYY-MM-DD/);
    // Not refused by the server either: it never heard of it.
    expect(review.error).toBeNull();
    const again = await postJson<SourceDraft>(`${server.url}/api/sources/preview`, {
      format: draft.format,
      content: draft.content,
    });
    expect(again.body.duplicate).toBeNull();
  });

  it('asks before saving a second copy, and saves it once the person confirms', async () => {
    const draft = await uploaded('second-copy.txt');
    // Saved by someone else between the preview and the save.
    const first = await createSource(server.url, {
      content: draft.content,
      fileName: 'second-copy.txt',
      metadata: { title: 'The first copy' },
    });
    const review = new DraftReview(draft);
    expect(await review.save()).toBe(false);
    expect(review.duplicate).toEqual({ sourceId: first.id, title: 'The first copy' });
    expect(review.error).toBeNull();
    expect(await library('second-copy.txt')).toEqual([first.id]);
    expect(await review.save(true)).toBe(true);
    expect(review.duplicate).toBeNull();
    expect((await library('second-copy.txt')).sort()).toEqual([first.id, review.saved!.id].sort());
  });

  it('shows the server’s reason for any other refusal', async () => {
    const draft = await uploaded('too-large.txt');
    // The content grew past the server's limit since the preview.
    const content = `${draft.content}\n\n${'More of the same. '.repeat(MAX_SOURCE_BYTES / 16)}`;
    const review = new DraftReview({ ...draft, content });
    expect(await review.save()).toBe(false);
    expect(review.error).toBe('The source is larger than the limit of 1 MB.');
    expect(review.saved).toBeNull();
    expect(review.saving).toBe(false);
    expect(await library('too-large.txt')).toEqual([]);
  });
});
