import { appendExcerpt, type Excerpt, getExcerpts, getSections, initBriefing } from '@debrief/briefing';
import { describeQuote } from '@debrief/sources';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { fakeServer, refusal } from '../testing/fakeServer.ts';
import { SourceReader } from './SourceReader.svelte.ts';

const WSJ = '0e5bb2a4-3c83-4a6f-8a0e-2c8e3f6f9d11';
const BBC = '5b7f2c1e-9d4a-4e2b-8f3c-6a1d0e9b8c7f';
const TEXTS: Record<string, string> = {
  [WSJ]: 'One officer dialed in with his cellphone from a Singapore hotel room. The meeting went on.',
  [BBC]: 'The Era phones failed in Kharkiv because the network they needed had been destroyed.',
};
const detail = (id: string) => ({ id, title: id === WSJ ? 'WSJ report' : 'BBC report', text: TEXTS[id], csl: {} });

/** What CollabSession offers the reader: the document's excerpts, as it reads them after every change. */
class FakeSession {
  excerpts = $state.raw<Excerpt[]>([]);
}

function briefing() {
  const doc = new Y.Doc();
  initBriefing(doc, { title: 'T' });
  const session = new FakeSession();
  const read = () => {
    session.excerpts = getExcerpts(doc);
    flushSync();
  };
  const quote = (sourceId: string, phrase: string, section = 1) => {
    const text = TEXTS[sourceId]!;
    const at = text.indexOf(phrase);
    const anchor = describeQuote(text, at, at + phrase.length);
    const id = appendExcerpt(doc, getSections(doc)[section]!.id, {
      sourceId,
      exact: anchor.quote.exact,
      prefix: anchor.quote.prefix,
      suffix: anchor.quote.suffix,
      start: anchor.position.start,
      end: anchor.position.end,
      quoteSha256: anchor.quoteSha256,
    });
    read();
    return id;
  };
  /** The server's verdict, written into the excerpt element as the citation projector writes it. */
  const verdict = (excerptId: string, attributes: Record<string, unknown>) => {
    const element = getExcerpts(doc).find((e) => e.excerptId === excerptId)!.element;
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string);
    read();
  };
  return { doc, session, quote, verdict };
}

const sourcesRoutes = () => ({
  'GET /api/sources': () =>
    Response.json({
      sources: [
        { id: WSJ, title: 'WSJ report' },
        { id: BBC, title: 'BBC report' },
      ],
    }),
  [`GET /api/sources/${WSJ}`]: () => Response.json(detail(WSJ)),
  [`GET /api/sources/${BBC}`]: () => Response.json(detail(BBC)),
});

const stops: Array<() => void> = [];
function readerOf(session: FakeSession): SourceReader {
  let reader!: SourceReader;
  stops.push(
    $effect.root(() => {
      reader = new SourceReader(session);
    }),
  );
  flushSync();
  return reader;
}

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  vi.unstubAllGlobals();
});

describe('SourceReader', () => {
  it('highlights the open source’s passages where the server found them, live, without asking the API', async () => {
    const requests = fakeServer(sourcesRoutes());
    const { session, quote, verdict } = briefing();
    const reader = readerOf(session);
    const dialed = quote(WSJ, 'dialed in with his cellphone');
    const meeting = quote(WSJ, 'The meeting went on.');
    quote(BBC, 'Kharkiv');
    await vi.waitFor(() => expect(reader.source?.id).toBe(WSJ));
    const at = (phrase: string) => TEXTS[WSJ]!.indexOf(phrase);

    // Before the server's check: where each passage was taken from.
    expect(reader.highlights).toEqual([
      { id: dialed, start: at('dialed'), end: at('dialed') + 28 },
      { id: meeting, start: at('The meeting'), end: TEXTS[WSJ]!.length },
    ]);
    verdict(dialed, { status: 'moved', anchoredStart: 2, anchoredEnd: 30 });
    verdict(meeting, { status: 'orphaned', statusReason: 'the quote was not found in its source’s text' });
    expect(reader.highlights).toEqual([{ id: dialed, start: 2, end: 30 }]);

    await reader.open(BBC);
    expect(reader.highlights.map((h) => TEXTS[BBC]!.slice(h.start, h.end))).toEqual(['Kharkiv']);
    expect(requests.map((r) => r.route)).toEqual([`GET /api/sources/${WSJ}`, `GET /api/sources/${BBC}`]);
  });

  it('numbers sources by their first excerpt in reading order', () => {
    fakeServer(sourcesRoutes());
    const { session, quote } = briefing();
    const reader = readerOf(session);
    quote(BBC, 'Kharkiv', 3);
    quote(WSJ, 'Singapore', 1);
    quote(BBC, 'network', 0);
    expect([...reader.numbers]).toEqual([
      [BBC, 1],
      [WSJ, 2],
    ]);
  });

  it('opens the first cited source by itself only until the person chooses one', async () => {
    fakeServer(sourcesRoutes());
    const { session, quote } = briefing();
    const reader = readerOf(session);
    await reader.open(null);
    quote(WSJ, 'Singapore');
    await Promise.resolve();
    expect(reader.sourceId).toBeNull();
  });

  it('keeps a source it has read, and shows why one could not be opened', async () => {
    const requests = fakeServer({
      ...sourcesRoutes(),
      [`GET /api/sources/${BBC}`]: () => refusal(404, 'source_not_found', 'No source with this id.'),
    });
    const reader = readerOf(new FakeSession());
    await reader.open(WSJ);
    await reader.open(BBC);
    expect(reader.source).toBeNull();
    expect(reader.loadError).toBe('No source with this id.');
    await reader.open(WSJ);
    expect(reader.source?.text).toBe(TEXTS[WSJ]);
    expect(reader.loadError).toBeNull();
    expect(requests.filter((r) => r.route === `GET /api/sources/${WSJ}`)).toHaveLength(1);
  });

  it('lists the library, and says when the server cannot be reached', async () => {
    fakeServer(sourcesRoutes());
    const reader = readerOf(new FakeSession());
    await reader.loadSources();
    expect(reader.titleOf(BBC)).toBe('BBC report');
    expect(reader.titleOf('unknown')).toBeNull();
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('fetch failed')));
    await reader.loadSources();
    expect(reader.listError).toMatch(/Cannot reach the Debrief server/);
    expect(reader.sources).toHaveLength(2);
  });

  it('opens a citation’s source and asks the reader to scroll to it on every click', async () => {
    fakeServer(sourcesRoutes());
    const { session, quote } = briefing();
    const reader = readerOf(session);
    quote(WSJ, 'Singapore');
    const kharkiv = quote(BBC, 'Kharkiv');
    await reader.openCitation(kharkiv);
    expect(reader.sourceId).toBe(BBC);
    const first = reader.focus;
    await reader.openCitation(kharkiv);
    expect(reader.focus?.excerptId).toBe(kharkiv);
    expect(reader.focus?.request).toBeGreaterThan(first!.request);
    await reader.openCitation('not-an-excerpt');
    expect(reader.focus?.excerptId).toBe(kharkiv);
  });

  it('quotes the selection of the open source, trimmed, and refuses blanks', async () => {
    fakeServer(sourcesRoutes());
    const reader = readerOf(new FakeSession());
    expect(reader.quoteSelection()).toBeNull();
    await reader.open(WSJ);
    const text = TEXTS[WSJ]!;
    reader.selection = { start: text.indexOf(' Singapore'), end: text.indexOf(' hotel') };
    expect(reader.quoteSelection()).toMatchObject({ sourceId: WSJ, quote: { exact: 'Singapore' } });
    reader.selection = { start: text.indexOf(' '), end: text.indexOf(' ') + 1 };
    expect(() => reader.quoteSelection()).toThrow(/only spaces/);
  });
});
