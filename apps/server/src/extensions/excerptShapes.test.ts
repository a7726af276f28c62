import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getSections, initBriefing } from '@debrief/briefing';
import { describeQuote, excerptSelectors, sha256Hex } from '@debrief/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../server.ts';
import {
  authFetch,
  type Client,
  connectClient,
  createBriefing,
  postJson,
  SAMPLE_SOURCES_DIR,
  startTestServer,
} from '../testing.ts';
import { citationProjector } from './citations.ts';

/** The attributes of an excerpt element, exactly as a plain yjs client would set them. */
type Attributes = Record<string, unknown>;

function element(attributes: Attributes): Y.XmlElement {
  const excerpt = new Y.XmlElement('excerpt');
  for (const [key, value] of Object.entries(attributes)) excerpt.setAttribute(key, value as string);
  return excerpt;
}

const verdictOf = (excerpt: Y.XmlElement) => ({
  status: excerpt.getAttribute('status'),
  statusReason: excerpt.getAttribute('statusReason'),
});

describe('an excerpt element in the wrong shape is marked invalid with its reason, never ignored', () => {
  let server: RunningServer;
  let sourceId = '';
  let text = '';
  const clients: Client[] = [];
  /** A correct excerpt of the source (no id yet), as docs/document-schema.md describes it. */
  let quote: Attributes = {};

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
    const anchor = describeQuote(text, 200, 260);
    quote = { sourceId, ...excerptSelectors(anchor) };
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('marks each wrong shape invalid with a reason, and a correct excerpt beside them anchored', async () => {
    const briefingId = await createBriefing(server.url);
    const client = connectClient(server.url, briefingId);
    clients.push(client);
    await client.synced;
    const id = () => globalThis.crypto.randomUUID();
    const { sourceId: _s, exact: _e, ...withoutSourceAndExact } = quote;
    const cases: Array<{ shape: string; attributes: Attributes; reason: string | RegExp }> = [
      { shape: 'no excerptId', attributes: { ...quote }, reason: 'excerptId is missing' },
      {
        shape: 'offsets as numeric strings',
        attributes: { ...quote, excerptId: id(), start: String(quote.start), end: String(quote.end) },
        reason: `start must be a number, not the string "${quote.start}"; end must be a number, not the string "${quote.end}"`,
      },
      {
        shape: 'W3C selectors nested under target',
        attributes: {
          excerptId: id(),
          quoteSha256: quote.quoteSha256,
          target: {
            source: sourceId,
            selector: [
              { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
              { type: 'TextPositionSelector', start: quote.start, end: quote.end },
            ],
          },
        },
        reason:
          /^has attribute "target", which an excerpt does not have \(selectors are never nested: [^;]*\); sourceId is missing; exact is missing; start is missing; end is missing$/,
      },
      {
        shape: 'no sourceId and no exact',
        attributes: { ...withoutSourceAndExact, excerptId: id() },
        reason: 'sourceId is missing; exact is missing',
      },
      {
        shape: 'a number for a string, a fraction for an offset',
        attributes: { ...quote, excerptId: id(), exact: 42, end: 10.5 },
        reason: 'exact must be a string, not number 42; end must be a whole number',
      },
      {
        shape: 'an upper-case hash',
        attributes: { ...quote, excerptId: id(), quoteSha256: String(quote.quoteSha256).toUpperCase() },
        reason: 'quoteSha256 must be the sha256 of exact as 64 lowercase hex digits',
      },
      {
        shape: 'an end before its start',
        attributes: { ...quote, excerptId: id(), start: quote.end, end: quote.start },
        reason: 'end must be greater than start',
      },
    ];
    const correctId = id();
    const correct = element({ ...quote, excerptId: correctId });
    const wrong = cases.map((c) => element(c.attributes));
    const body = getSections(client.doc)[1]!.body;
    client.doc.transact(() => body.push([...wrong, correct]));

    await expect.poll(() => verdictOf(correct).status, { timeout: 10_000 }).toBe('anchored');
    for (const [index, c] of cases.entries()) {
      await expect.poll(() => verdictOf(wrong[index]!).status, { timeout: 10_000 }).toBe('invalid');
      expect(verdictOf(wrong[index]!).statusReason, c.shape).toEqual(
        typeof c.reason === 'string' ? c.reason : expect.stringMatching(c.reason),
      );
    }
    expect(verdictOf(correct).statusReason).toBeUndefined();
    expect(correct.getAttribute('anchoredStart')).toBe(quote.start);
    expect(correct.getAttribute('anchoredEnd')).toBe(quote.end);

    // Only the well-formed excerpt is a citation.
    const listed = (await (await authFetch(`${server.url}/api/briefings/${briefingId}/citations`)).json()) as {
      citations: Array<{ excerptId: string }>;
    };
    expect(listed.citations.map((c) => c.excerptId)).toEqual([correctId]);
  });

  it('checks an excerpt again once its author fixes the shape', async () => {
    const briefingId = await createBriefing(server.url);
    const client = connectClient(server.url, briefingId);
    clients.push(client);
    await client.synced;
    const excerpt = element({
      ...quote,
      excerptId: globalThis.crypto.randomUUID(),
      start: String(quote.start),
      end: String(quote.end),
    });
    getSections(client.doc)[0]!.body.push([excerpt]);
    await expect.poll(() => verdictOf(excerpt).status, { timeout: 10_000 }).toBe('invalid');
    client.doc.transact(() => {
      excerpt.setAttribute('start', quote.start as string);
      excerpt.setAttribute('end', quote.end as string);
    });
    await expect
      .poll(() => verdictOf(excerpt), { timeout: 10_000 })
      .toEqual({ status: 'anchored', statusReason: undefined });
  });

  it('warns in the server log once per wrong shape, and never for a correct excerpt', async () => {
    const briefingId = await createBriefing(server.url);
    const warnings: Array<{ details: Record<string, unknown>; message: string }> = [];
    const project = citationProjector(server.db, { warn: (details, message) => warnings.push({ details, message }) });
    // The projector on a document of its own: the running server's projector has no logger here.
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const sectionId = getSections(doc)[0]!.id;
    const wrong = element({ ...quote });
    const correct = element({
      ...quote,
      excerptId: globalThis.crypto.randomUUID(),
      quoteSha256: sha256Hex(String(quote.exact)),
    });
    getSections(doc)[0]!.body.push([wrong, correct]);
    const document = { briefingId, doc };

    await project(document);
    await project(document);
    expect(warnings).toEqual([
      {
        details: { briefingId, sectionId, reason: 'excerptId is missing' },
        message: 'excerpt in the wrong shape marked invalid',
      },
    ]);
    expect(verdictOf(wrong)).toEqual({ status: 'invalid', statusReason: 'excerptId is missing' });
    expect(verdictOf(correct).status).toBe('anchored');

    wrong.setAttribute('excerptId', '');
    await project(document);
    expect(warnings.map((w) => w.details.reason)).toEqual(['excerptId is missing', 'excerptId must not be empty']);
    expect(warnings[1]?.details.excerptId).toBe('');
  });
});
