import { appendExcerpt, type Excerpt, getExcerpts, getSections, initBriefing } from '@debrief/briefing';
import { authFetch, createSource, getJson, startTestServer, type TestServer } from '@debrief/server/testing';
import { describeQuote, excerptSelectors } from '@debrief/sources';
import { flushSync } from 'svelte';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { type SourceDetail, setApiBase } from '../api.ts';
import { SourceReader } from './SourceReader.svelte.ts';

let server: TestServer;
/** The library's two sources: their ids, and their text as the server stored it. */
let wsj = '';
let bbc = '';
const texts: Record<string, string> = {};

/** Saves a source through the API and notes its text as the server stored it. */
async function saved(content: string, title: string): Promise<string> {
  const { id } = await createSource(server.url, { content, metadata: { title } });
  texts[id] = (await getJson<SourceDetail>(`${server.url}/api/sources/${id}`)).body.text;
  return id;
}

beforeAll(async () => {
  server = await startTestServer();
  setApiBase(server.url, { authorization: `Bearer ${server.account.token}` });
  wsj = await saved(
    'One officer dialed in with his cellphone from a Singapore hotel room. The meeting went on.',
    'WSJ report',
  );
  bbc = await saved(
    'The Era phones failed in Kharkiv because the network they needed had been destroyed.',
    'BBC report',
  );
});
afterAll(() => server?.close());

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
    const text = texts[sourceId]!;
    const at = text.indexOf(phrase);
    const anchor = describeQuote(text, at, at + phrase.length);
    const id = appendExcerpt(doc, getSections(doc)[section]!.id, { sourceId, ...excerptSelectors(anchor) });
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
});

describe('SourceReader', () => {
  it('highlights the open source’s passages where the server found them, live, without asking the API', async () => {
    const { session, quote, verdict } = briefing();
    const reader = readerOf(session);
    const dialed = quote(wsj, 'dialed in with his cellphone');
    const meeting = quote(wsj, 'The meeting went on.');
    quote(bbc, 'Kharkiv');
    await vi.waitFor(() => expect(reader.source?.id).toBe(wsj));
    const at = (phrase: string) => texts[wsj]!.indexOf(phrase);

    // Each check below follows a change to the document at once: no answer from the API could be in it.
    // Before the server's check: where each passage was taken from.
    expect(reader.highlights).toEqual([
      { id: dialed, start: at('dialed'), end: at('dialed') + 28 },
      { id: meeting, start: at('The meeting'), end: texts[wsj]!.length },
    ]);
    verdict(dialed, { status: 'moved', anchoredStart: 2, anchoredEnd: 30 });
    verdict(meeting, { status: 'orphaned', statusReason: 'the quote was not found in its source’s text' });
    expect(reader.highlights).toEqual([{ id: dialed, start: 2, end: 30 }]);

    await reader.open(bbc);
    expect(reader.source?.text).toBe(texts[bbc]);
    expect(reader.highlights.map((h) => texts[bbc]!.slice(h.start, h.end))).toEqual(['Kharkiv']);
  });

  it('numbers sources by their first excerpt in reading order', () => {
    const { session, quote } = briefing();
    const reader = readerOf(session);
    quote(bbc, 'Kharkiv', 3);
    quote(wsj, 'Singapore', 1);
    quote(bbc, 'network', 0);
    expect([...reader.numbers]).toEqual([
      [bbc, 1],
      [wsj, 2],
    ]);
  });

  it('opens the first cited source by itself only until the person chooses one', async () => {
    const { session, quote } = briefing();
    const reader = readerOf(session);
    await reader.open(null);
    quote(wsj, 'Singapore');
    await Promise.resolve();
    expect(reader.sourceId).toBeNull();
  });

  it('keeps a source it has read, and shows why one could not be opened', async () => {
    const kept = await saved('A source the library loses once the reader has read it.', 'Deleted later');
    const reader = readerOf(new FakeSession());
    await reader.open(kept);
    const response = await authFetch(`${server.url}/api/sources/${kept}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    await reader.open(globalThis.crypto.randomUUID());
    expect(reader.source).toBeNull();
    expect(reader.loadError).toBe('No source with this id.');
    await reader.open(kept);
    expect(reader.source?.text).toBe(texts[kept]);
    expect(reader.loadError).toBeNull();
    // What it showed was what it kept: asked again, the server has no such source.
    const another = readerOf(new FakeSession());
    await another.open(kept);
    expect(another.loadError).toBe('No source with this id.');
  });

  it('lists the library, and says when the server cannot be reached', async () => {
    const reader = readerOf(new FakeSession());
    await reader.loadSources();
    expect(reader.titleOf(bbc)).toBe('BBC report');
    expect(reader.titleOf('unknown')).toBeNull();
    const listed = reader.sources;
    // Nothing listens on the discard port.
    setApiBase('http://127.0.0.1:9');
    try {
      await reader.loadSources();
    } finally {
      setApiBase(server.url, { authorization: `Bearer ${server.account.token}` });
    }
    expect(reader.listError).toMatch(/Cannot reach the Debrief server/);
    expect(reader.sources).toBe(listed);
  });

  it('opens a citation’s source and asks the reader to scroll to it on every click', async () => {
    const { session, quote } = briefing();
    const reader = readerOf(session);
    quote(wsj, 'Singapore');
    const kharkiv = quote(bbc, 'Kharkiv');
    await reader.openCitation(kharkiv);
    expect(reader.sourceId).toBe(bbc);
    const first = reader.focus;
    await reader.openCitation(kharkiv);
    expect(reader.focus?.excerptId).toBe(kharkiv);
    expect(reader.focus?.request).toBeGreaterThan(first!.request);
    await reader.openCitation('not-an-excerpt');
    expect(reader.focus?.excerptId).toBe(kharkiv);
  });

  it('quotes the selection of the open source, trimmed, and refuses blanks', async () => {
    const reader = readerOf(new FakeSession());
    expect(reader.quoteSelection()).toBeNull();
    await reader.open(wsj);
    const text = texts[wsj]!;
    reader.selection = { start: text.indexOf(' Singapore'), end: text.indexOf(' hotel') };
    expect(reader.quoteSelection()).toMatchObject({ sourceId: wsj, quote: { exact: 'Singapore' } });
    reader.selection = { start: text.indexOf(' '), end: text.indexOf(' ') + 1 };
    expect(() => reader.quoteSelection()).toThrow(/only spaces/);
  });
});
