import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendExcerpt, getExcerpts, getSections } from '@debrief/briefing';
import { describeQuote, excerptSelectors } from '@debrief/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.ts';
import {
  authFetch,
  type Client,
  connectClient,
  createBriefing,
  postJson,
  SAMPLE_SOURCES_DIR,
  startTestServer,
  waitFor,
} from '../testing.ts';

interface Citation {
  excerptId: string;
  number: number;
  sourceId: string;
  status: string;
  exact: string;
  quoteSha256: string;
  anchoredStart: number | null;
}

/** An excerpt as a plain yjs client following docs/document-schema.md writes it. */
function excerptOf(sourceId: string, text: string, phrase: string) {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`phrase not in source: ${phrase}`);
  const anchor = describeQuote(text, start, start + phrase.length);
  return { sourceId, ...excerptSelectors(anchor) };
}

describe('excerpts are checked against their sources and mirrored as citations', () => {
  let server: RunningServer;
  let sourceId = '';
  let text = '';
  const clients: Client[] = [];
  const citations = async (briefingId: string) =>
    (
      (await (await authFetch(`${server.url}/api/briefings/${briefingId}/citations`)).json()) as {
        citations: Citation[];
      }
    ).citations;
  const statusIn = (client: Client, excerptId: string) =>
    getExcerpts(client.doc).find((e) => e.excerptId === excerptId)?.status;
  const open = async (briefingId: string) => {
    const client = connectClient(server.url, briefingId);
    clients.push(client);
    await client.synced;
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer({ PROJECTION_DELAY_MS: 20 });
    const content = readFileSync(join(SAMPLE_SOURCES_DIR, '003_bf3c4a421ac649b4.txt'), 'utf8');
    const saved = await postJson<{ id: string }>(`${server.url}/api/sources`, {
      format: 'text',
      content,
      acceptedCleaning: [],
    });
    sourceId = saved.body.id;
    text = ((await (await authFetch(`${server.url}/api/sources/${sourceId}`)).json()) as { text: string }).text;
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('anchors an excerpt written with plain yjs and lists it in both citation APIs', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const observations = getSections(client.doc)[1]!;
    const phrase = text.slice(200, 260).trim();
    const excerptId = appendExcerpt(client.doc, observations.id, excerptOf(sourceId, text, phrase));
    await waitFor(() => statusIn(client, excerptId) === 'anchored', 10_000, 'the server to mark the excerpt anchored');
    const [citation] = await citations(briefingId);
    expect(citation).toMatchObject({ excerptId, number: 1, sourceId, status: 'anchored', exact: phrase });
    const bySource = (await (await authFetch(`${server.url}/api/sources/${sourceId}/citations`)).json()) as {
      citations: Array<{ briefingId: string; excerptId: string }>;
    };
    expect(bySource.citations).toContainEqual(expect.objectContaining({ briefingId, excerptId }));
    const refused = await authFetch(`${server.url}/api/sources/${sourceId}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('source_cited');
  });

  it('flags a quote a client altered afterwards as modified', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const excerptId = appendExcerpt(
      client.doc,
      getSections(client.doc)[0]!.id,
      excerptOf(sourceId, text, text.slice(300, 340).trim()),
    );
    await waitFor(() => statusIn(client, excerptId) === 'anchored');
    const element = getExcerpts(client.doc).find((e) => e.excerptId === excerptId)!.element;
    element.setAttribute('exact', 'Words the source never said.');
    await waitFor(() => statusIn(client, excerptId) === 'modified', 10_000, 'modified flag');
    // Re-hashing the forged quote does not hide it: the hash first seen is kept.
    const { sha256Hex } = await import('@debrief/sources');
    const forgedHash = sha256Hex('Words the source never said.');
    element.setAttribute('quoteSha256', forgedHash);
    // The mirror holding the new hash shows the server checked the re-hashed excerpt.
    const mirrored = async () => (await citations(briefingId)).find((c) => c.excerptId === excerptId);
    await expect.poll(async () => (await mirrored())?.quoteSha256, { timeout: 10_000 }).toBe(forgedHash);
    expect((await mirrored())?.status).toBe('modified');
    await expect
      .poll(() => getExcerpts(client.doc).find((e) => e.excerptId === excerptId)?.statusReason, { timeout: 10_000 })
      .toBe('quoteSha256 is not the one first seen for this excerpt');
  });

  it('re-anchors a quote whose position is stale, and orphans one the source does not contain', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const phrase = text.slice(500, 560).trim();
    const moved = { ...excerptOf(sourceId, text, phrase), start: 0, end: phrase.length };
    const sectionId = getSections(client.doc)[2]!.id;
    const movedId = appendExcerpt(client.doc, sectionId, moved);
    const invented = 'Nothing like this sentence appears anywhere in that report at all.';
    const { sha256Hex } = await import('@debrief/sources');
    const orphanId = appendExcerpt(client.doc, sectionId, {
      sourceId,
      exact: invented,
      prefix: '',
      suffix: '',
      start: 10,
      end: 10 + invented.length,
      quoteSha256: sha256Hex(invented),
    });
    await waitFor(
      () => statusIn(client, movedId) === 'moved' && statusIn(client, orphanId) === 'orphaned',
      10_000,
      'statuses',
    );
    const byId = new Map((await citations(briefingId)).map((c) => [c.excerptId, c]));
    expect(byId.get(movedId)?.anchoredStart).toBe(text.indexOf(phrase));
    expect(byId.get(orphanId)?.status).toBe('orphaned');
  });

  it('writes where it found each quote into the excerpt, so readers need not ask the API', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const phrase = text.slice(600, 660).trim();
    const sectionId = getSections(client.doc)[3]!.id;
    const movedId = appendExcerpt(client.doc, sectionId, {
      ...excerptOf(sourceId, text, phrase),
      start: 0,
      end: phrase.length,
    });
    const excerpt = () => getExcerpts(client.doc).find((e) => e.excerptId === movedId);
    await expect
      .poll(() => excerpt() && [excerpt()!.status, excerpt()!.anchoredStart, excerpt()!.anchoredEnd], {
        timeout: 10_000,
      })
      .toEqual(['moved', text.indexOf(phrase), text.indexOf(phrase) + phrase.length]);
    // The quote altered: found nowhere now, so no anchor is left behind, and the reason is given.
    excerpt()!.element.setAttribute('exact', 'Words the source never said.');
    await expect
      .poll(() => excerpt() && [excerpt()!.status, excerpt()!.anchoredStart, excerpt()!.statusReason], {
        timeout: 10_000,
      })
      .toEqual(['modified', null, 'exact is not the quote its quoteSha256 was taken of']);
  });

  it('gives a copied excerpt its own id so both are mirrored', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const excerpt = excerptOf(sourceId, text, text.slice(100, 150).trim());
    const sections = getSections(client.doc);
    const firstId = appendExcerpt(client.doc, sections[0]!.id, excerpt);
    const copy = getExcerpts(client.doc)[0]!.element.clone();
    sections[sections.length - 1]!.body.push([copy]);
    await waitFor(() => new Set(getExcerpts(client.doc).map((e) => e.excerptId)).size === 2, 10_000, 'a fresh id');
    const listed = await citations(briefingId);
    expect(listed.map((c) => c.excerptId)).toContain(firstId);
    expect(listed).toHaveLength(2);
    expect(listed.every((c) => c.number === 1)).toBe(true);
  });

  it('orphans an excerpt citing a source that does not exist, without failing the mirror', async () => {
    const briefingId = await createBriefing(server.url);
    const client = await open(briefingId);
    const excerptId = appendExcerpt(client.doc, getSections(client.doc)[0]!.id, {
      ...excerptOf(sourceId, text, text.slice(100, 150).trim()),
      sourceId: '00000000-0000-4000-8000-000000000000',
    });
    await waitFor(() => statusIn(client, excerptId) === 'orphaned', 10_000, 'orphaned');
    expect(await citations(briefingId)).toEqual([]);
  });
});
