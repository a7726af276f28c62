import { appendExcerpt, briefingToJSON, getExcerpts, getSections } from '@debrief/briefing';
import { describeQuote, excerptSelectors } from '@debrief/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  authFetch,
  type Client,
  connectClient,
  createBriefing,
  createSource,
  getJson,
  postJson,
  startTestServer,
  type TestServer,
  waitFor,
} from '../testing.ts';

const QUOTE = 'One officer dialled in with his cellphone from a Singapore hotel room, officials said.';
const WSJ = `The meeting was held on Webex. ${QUOTE} The line was not secure, and the call was recorded.`;
const REUTERS = `Pistorius told reporters: “ONE OFFICER dialled in with his cellphone from a Singapore hotel room, officials said.” He called it a mistake.`;
const NEAR =
  'According to the ministry, one officer dialed in using his cellphone from a Singapore hotel room, officials said.';
const UNRELATED =
  'Russian Era phones failed near Kharkiv because the 3G towers they relied on had been destroyed early on.';

interface Citation {
  excerptId: string;
  sourceId: string;
  reliability: string | null;
  credibility: number | null;
  grade: string | null;
}

interface SourceSummary {
  id: string;
  reliability: string | null;
}

describe('source evaluation: the Admiralty code through the API and the document', () => {
  let server: TestServer;
  const sources: Record<string, string> = {};
  const clients: Client[] = [];

  const excerptOf = async (sourceId: string, phrase: string) => {
    const { text } = (await getJson<{ text: string }>(`${server.url}/api/sources/${sourceId}`)).body;
    const start = text.indexOf(phrase);
    const anchor = describeQuote(text, start, start + phrase.length);
    return { sourceId, ...excerptSelectors(anchor) };
  };
  const citations = async (briefingId: string) =>
    (await getJson<{ citations: Citation[] }>(`${server.url}/api/briefings/${briefingId}/citations`)).body.citations;
  const grade = (sourceId: string, reliability: string | null) =>
    postJson<SourceSummary & { error?: { code: string } }>(
      `${server.url}/api/sources/${sourceId}`,
      { reliability },
      'PATCH',
    );
  const open = async (briefingId: string) => {
    const client = connectClient(server.url, briefingId);
    clients.push(client);
    await client.synced;
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer({ PROJECTION_DELAY_MS: 20 });
    for (const [name, content] of Object.entries({ wsj: WSJ, reuters: REUTERS, near: NEAR, unrelated: UNRELATED })) {
      sources[name] = (await createSource(server.url, { content, metadata: { title: name } })).id;
    }
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.close();
  });

  it('grades a source’s reliability A–F through the API, on import and later, and refuses other grades', async () => {
    const graded = await postJson<{ id: string }>(`${server.url}/api/sources`, {
      format: 'text',
      content: 'A report imported with its grade already judged, about something else entirely.',
      acceptedCleaning: [],
      reliability: 'C',
    });
    expect(graded.status).toBe(201);
    const listed = (await getJson<{ sources: SourceSummary[] }>(`${server.url}/api/sources`)).body.sources;
    expect(listed.find((s) => s.id === graded.body.id)?.reliability).toBe('C');

    expect((await grade(sources.wsj!, 'B')).body.reliability).toBe('B');
    expect((await getJson<SourceSummary>(`${server.url}/api/sources/${sources.wsj}`)).body.reliability).toBe('B');
    const refused = await grade(sources.wsj!, 'G');
    expect([refused.status, refused.body.error?.code]).toEqual([400, 'invalid_request']);
    expect((await grade(sources.reuters!, null)).body.reliability).toBeNull();
  });

  it('keeps an excerpt’s credibility in the document and mirrors both grades into its citation, as B2', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const section = getSections(client.doc)[1]!.id;
    const excerptId = appendExcerpt(client.doc, section, { ...(await excerptOf(sources.wsj!, QUOTE)), credibility: 2 });
    await waitFor(() => getExcerpts(client.doc)[0]?.status === 'anchored', 10_000, 'the excerpt to be checked');
    expect(await citations(briefingId)).toEqual([
      expect.objectContaining({ excerptId, reliability: 'B', credibility: 2, grade: 'B2' }),
    ]);
    // In the JSON export reads, beside the quote.
    const body = briefingToJSON(client.doc).sections[1]!.body;
    expect(body.content).toContainEqual(
      expect.objectContaining({ attrs: expect.objectContaining({ credibility: 2 }) }),
    );

    // Regrading the source reaches its citations at once; regrading the excerpt, on the next check.
    await grade(sources.wsj!, 'A');
    expect((await citations(briefingId))[0]).toMatchObject({ reliability: 'A', grade: 'A2' });
    const element = getExcerpts(client.doc)[0]!.element;
    client.doc.transact(() => element.setAttribute('credibility', 1 as unknown as string));
    await expect.poll(async () => (await citations(briefingId))[0]?.grade, { timeout: 10_000 }).toBe('A1');
  });

  it('marks an excerpt with a credibility outside 1–6 invalid, saying why', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const section = getSections(client.doc)[1]!;
    const element = new Y.XmlElement('excerpt');
    for (const [key, value] of Object.entries({
      ...(await excerptOf(sources.wsj!, QUOTE)),
      excerptId: 'x1',
      credibility: 9,
    })) {
      element.setAttribute(key, value as string);
    }
    section.body.push([element]);
    await waitFor(() => element.getAttribute('status') === 'invalid', 10_000, 'the excerpt to be marked invalid');
    expect(element.getAttribute('statusReason')).toBe('credibility must be a whole number from 1 to 6');
  });

  it('offers an excerpt as corroborated where another source holds its quote, exactly or nearly', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const section = getSections(client.doc)[1]!.id;
    const fromWsj = appendExcerpt(client.doc, section, await excerptOf(sources.wsj!, QUOTE));
    const fromUnrelated = appendExcerpt(client.doc, section, await excerptOf(sources.unrelated!, UNRELATED));
    // Citing the Reuters piece too gives it a number the offer can show: "also in [2]".
    appendExcerpt(client.doc, section, await excerptOf(sources.reuters!, 'He called it a mistake.'));
    await waitFor(() => getExcerpts(client.doc).every((e) => e.status === 'anchored'), 10_000, 'the checks');
    const { status, body } = await getJson<{
      excerpts: Array<{
        excerptId: string;
        corroboratedBy: Array<{ sourceId: string; number: number | null; match: string; title: string }>;
      }>;
    }>(`${server.url}/api/briefings/${briefingId}/corroborations`);
    expect(status).toBe(200);
    const of = (excerptId: string) => body.excerpts.find((e) => e.excerptId === excerptId)?.corroboratedBy;
    expect(of(fromWsj)).toEqual([
      expect.objectContaining({ sourceId: sources.reuters, match: 'exact', number: 3, title: 'reuters' }),
      expect.objectContaining({ sourceId: sources.near, match: 'near', number: null, title: 'near' }),
    ]);
    expect(of(fromUnrelated)).toEqual([]);
  });

  it('says how often a cited source is cited when refusing to delete it', async () => {
    const refused = await authFetch(`${server.url}/api/sources/${sources.wsj}`, { method: 'DELETE' });
    const body = (await refused.json()) as {
      error: { code: string; message: string; details: { citationCount: number } };
    };
    expect(refused.status).toBe(409);
    expect(body.error.code).toBe('source_cited');
    expect(body.error.message).toBe(
      `This source is cited ${body.error.details.citationCount} times; remove those excerpts first.`,
    );
  });
});
