import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendExcerpt } from '../../../../docs/examples/appendExcerpt.ts';
import {
  authFetch,
  createBriefing,
  postJson,
  SAMPLE_SOURCES_DIR,
  startTestServer,
  type TestServer,
} from '../testing.ts';

const EXAMPLE = new URL('../../../../docs/examples/appendExcerpt.ts', import.meta.url);
const PAGE = new URL('../../../../docs/document-schema.md', import.meta.url);
const QUOTED = '<!-- docs/examples/appendExcerpt.ts, quoted verbatim (a test checks) -->\n```ts\n';

describe('the plain-yjs excerpt example of docs/document-schema.md', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ PROJECTION_DELAY_MS: 20 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is quoted in the page exactly as it is run here', () => {
    const page = readFileSync(PAGE, 'utf8');
    const at = page.indexOf(QUOTED);
    expect(at, 'the page quotes the example after its marker').toBeGreaterThan(-1);
    const quoted = page.slice(at + QUOTED.length, page.indexOf('```\n', at + QUOTED.length));
    expect(quoted).toBe(readFileSync(EXAMPLE, 'utf8'));
  });

  it('writes an excerpt the server marks anchored', async () => {
    const content = readFileSync(join(SAMPLE_SOURCES_DIR, '003_bf3c4a421ac649b4.txt'), 'utf8');
    const saved = await postJson<{ id: string }>(`${server.url}/api/sources`, {
      format: 'text',
      content,
      acceptedCleaning: [],
    });
    expect(saved.status).toBe(201);
    const source = (await (await authFetch(`${server.url}/api/sources/${saved.body.id}`)).json()) as { text: string };
    const briefingId = await createBriefing(server.url);
    const phrase = source.text.slice(400, 470).trim();
    const start = source.text.indexOf(phrase);

    const verdict = await appendExcerpt({
      server: server.url,
      token: server.account.token,
      briefingId,
      sourceId: saved.body.id,
      sourceText: source.text,
      start,
      end: start + phrase.length,
      note: 'Written by the documented example.',
    });
    expect(verdict).toEqual({ excerptId: expect.any(String), status: 'anchored' });

    const { citations } = (await (await authFetch(`${server.url}/api/briefings/${briefingId}/citations`)).json()) as {
      citations: Array<{ excerptId: string; exact: string; number: number; anchoredStart: number }>;
    };
    expect(citations).toEqual([
      expect.objectContaining({ excerptId: verdict.excerptId, exact: phrase, number: 1, anchoredStart: start }),
    ]);
  });
});
