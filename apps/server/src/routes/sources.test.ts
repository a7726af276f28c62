import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type CslItem, sourceTitle } from '@debrief/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.ts';
import { authFetch, postJson, SAMPLE_SOURCES_DIR, startTestServer } from '../testing.ts';

interface Draft {
  fileName?: string;
  format: string;
  content: string;
  normalised: string;
  proposals: Array<{ id: string; kind: string; text: string }>;
  metadata: { title?: string; issued?: { 'date-parts': number[][] } };
  duplicate: { sourceId: string; title: string } | null;
}
type DraftOrError = Draft | { fileName: string; error: { code: string; message: string } };
interface ErrorBody {
  error: { code: string; message: string; details?: { sourceId?: string } };
}

const ARTICLE =
  'An article body long enough to be a source of its own, about secure calls and what they teach. '.repeat(4);

const SAMPLES = [
  '000_fd74128d826f9f2b.txt',
  '001_9d90d10368e71433.txt',
  '002_bbfc05d1effc9bd0.txt',
  '003_bf3c4a421ac649b4.txt',
];

describe('sources API', () => {
  let server: RunningServer;
  let pages: Server;
  let pagesUrl = '';
  const upload = async (files: Array<[string, Uint8Array | string]>) => {
    const form = new FormData();
    for (const [name, content] of files) form.append('files', new Blob([content]), name);
    const response = await authFetch(`${server.url}/api/sources/upload`, { method: 'POST', body: form });
    return { status: response.status, body: (await response.json()) as { drafts: DraftOrError[] } & ErrorBody };
  };
  const save = (draft: Draft, extra: Record<string, unknown> = {}) =>
    postJson<{ id: string; title: string } & ErrorBody>(`${server.url}/api/sources`, {
      format: draft.format,
      content: draft.content,
      fileName: draft.fileName,
      acceptedCleaning: draft.proposals.map((p) => p.id),
      ...extra,
    });
  const count = () => server.db.prisma.source.count();

  beforeAll(async () => {
    server = await startTestServer({ MAX_SOURCE_BYTES: 64 * 1024, SOURCE_FETCH_ALLOW_PRIVATE: true });
    pages = createServer((request, response) => {
      if (request.url === '/article') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(`<!doctype html><html><head><title>Site | Intercept</title>
          <meta property="og:title" content="Officers' call intercepted">
          <meta property="og:site_name" content="Example Post">
          <meta property="article:published_time" content="2024-03-02T10:00:00Z"></head>
          <body><nav>Home | World</nav><article><h1>Officers' call intercepted</h1>
          ${'<p>One participant dialled in over an unsecured hotel line, which let the call be recorded. </p>'.repeat(6)}
          </article><script>globalThis.pwned = true</script></body></html>`);
      } else if (request.url === '/image') {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      } else if (request.url === '/navigation') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html><body><nav>Home | World | Sport</nav><script>1</script></body></html>');
      } else {
        response.writeHead(404).end('missing');
      }
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => pages.once('listening', resolve));
    pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    pages?.close();
    await server?.close();
  });

  it('imports the four sample articles by upload, with dates, titles and noise proposed', async () => {
    const { status, body } = await upload(SAMPLES.map((name) => [name, readFileSync(join(SAMPLE_SOURCES_DIR, name))]));
    expect(status).toBe(200);
    const drafts = body.drafts as Draft[];
    expect(drafts.map((d) => d.fileName)).toEqual(SAMPLES);
    expect(drafts[0]?.metadata.issued?.['date-parts'][0]).toEqual([2024, 3, 5]);
    expect(drafts[1]?.metadata.issued?.['date-parts'][0]).toEqual([2024, 3, 5]);
    expect(drafts[1]?.proposals.map((p) => p.kind)).toEqual(expect.arrayContaining(['date_marker', 'syndication_id']));
    expect(drafts[2]?.proposals.map((p) => p.kind)).toEqual(
      expect.arrayContaining(['repeated_headline', 'other_news']),
    );
    // Only 002 opens with a headline; the others open with their lede and claim no title.
    expect(drafts.map((d) => Boolean(d.metadata.title))).toEqual([false, false, true, false]);
    for (const draft of drafts) expect((await save(draft)).status).toBe(201);
    const listed = (await (await authFetch(`${server.url}/api/sources`)).json()) as {
      sources: Array<{ title: string }>;
    };
    // Where nothing states a title, the library says so honestly (publisher and date, or the file's
    // name), never with the article's first sentence dressed up as one.
    expect(listed.sources.map((s) => s.title).sort()).toEqual(
      drafts.map((d) => sourceTitle(d.metadata as CslItem, d.fileName)).sort(),
    );
    expect(listed.sources.some((s) => s.title.startsWith('German Defence Minister'))).toBe(false);
    expect(listed.sources).toHaveLength(4);
  });

  it('recognises the same content imported twice and offers the existing source', async () => {
    const content = readFileSync(join(SAMPLE_SOURCES_DIR, SAMPLES[3]!), 'utf8');
    const preview = await postJson<Draft>(`${server.url}/api/sources/preview`, { format: 'text', content });
    expect(preview.body.duplicate?.sourceId).toBeTruthy();
    const before = await count();
    const again = await save(preview.body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('duplicate_source');
    expect(again.body.error.details?.sourceId).toBe(preview.body.duplicate?.sourceId);
    expect(await count()).toBe(before);
    expect((await save(preview.body, { allowDuplicate: true })).status).toBe(201);
  });

  it('stores the raw original beside the cleaned text, with a sha256 of each', async () => {
    const content =
      ' date 2024-03-05\nA headline about secure calls\n\nThe body of a short article about secure calls and the lessons they teach.\n';
    const preview = await postJson<Draft>(`${server.url}/api/sources/preview`, { format: 'text', content });
    const { body } = await save(preview.body, { metadata: { title: 'Corrected title', 'container-title': 'Wire' } });
    const detail = (await (await authFetch(`${server.url}/api/sources/${body.id}`)).json()) as {
      title: string;
      text: string;
      rawSha256: string;
      textSha256: string;
      csl: Record<string, unknown>;
    };
    expect(detail.title).toBe('Corrected title');
    expect(detail.csl['container-title']).toBe('Wire');
    expect(detail.text).not.toContain('date 2024-03-05');
    expect(detail.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.textSha256).not.toBe(detail.rawSha256);
    // Each hash is the sha256 of what it claims to hash: the original's and the text's UTF-8 bytes.
    const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(detail.rawSha256).toBe(sha256(content));
    expect(detail.textSha256).toBe(sha256(detail.text));
    expect(await (await authFetch(`${server.url}/api/sources/${body.id}/raw`)).text()).toBe(content);
    const patched = await postJson<{ title: string }>(
      `${server.url}/api/sources/${body.id}`,
      { metadata: { title: 'Fixed later' } },
      'PATCH',
    );
    expect(patched.body.title).toBe('Fixed later');
  });

  it('removes a metadata field patched to null, and leaves the fields not named alone', async () => {
    const preview = await postJson<Draft>(`${server.url}/api/sources/preview`, { format: 'text', content: ARTICLE });
    const { body } = await save(preview.body, {
      metadata: { title: 'With a publisher', 'container-title': 'Wire', URL: 'https://example.org/a' },
    });
    const patched = await postJson<{ title: string }>(
      `${server.url}/api/sources/${body.id}`,
      { metadata: { 'container-title': null } },
      'PATCH',
    );
    expect(patched.status).toBe(200);
    const detail = (await (await authFetch(`${server.url}/api/sources/${body.id}`)).json()) as {
      title: string;
      csl: Record<string, unknown>;
    };
    expect(detail.csl).not.toHaveProperty('container-title');
    expect(detail.csl).toMatchObject({ title: 'With a publisher', URL: 'https://example.org/a' });
    expect(detail.title).toBe('With a publisher');
  });

  it('serves a raw HTML original inert: plain text that browsers must not sniff', async () => {
    const html = `<html><body><article>${'<p>An article body long enough to be kept as one. </p>'.repeat(8)}</article><img src=x onerror="alert(1)"></body></html>`;
    const preview = await postJson<Draft>(`${server.url}/api/sources/preview`, { format: 'html', content: html });
    expect(preview.body.normalised).not.toMatch(/onerror|<img/);
    const { body } = await save(preview.body);
    const raw = await authFetch(`${server.url}/api/sources/${body.id}/raw`);
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await raw.text()).toBe(html);
  });

  it('imports a page by URL through a readability extractor, never running its scripts', async () => {
    const { status, body } = await postJson<Draft>(`${server.url}/api/sources/fetch`, { url: `${pagesUrl}/article` });
    expect(status).toBe(200);
    expect(body.format).toBe('html');
    expect(body.metadata.title).toBe("Officers' call intercepted");
    expect(body.normalised).toContain('unsecured hotel line');
    expect(body.normalised).not.toContain('pwned');
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('refuses, by default, to fetch from the server’s own network', async () => {
    const guarded = await startTestServer();
    try {
      const { status, body } = await postJson<ErrorBody>(`${guarded.url}/api/sources/fetch`, {
        url: `${pagesUrl}/article`,
      });
      expect(status).toBe(400);
      expect(body.error.code).toBe('url_not_allowed');
    } finally {
      await guarded.close();
    }
  });

  it.each([
    ['an unreachable host', () => 'http://127.0.0.1:9/nothing', 'url_unreachable', 502],
    ['a missing page', () => `${pagesUrl}/missing`, 'url_unreachable', 502],
    ['a non-http scheme', () => 'file:///etc/passwd', 'invalid_url', 400],
    ['a page that is an image', () => `${pagesUrl}/image`, 'unsupported_format', 415],
    ['a page with no article in it', () => `${pagesUrl}/navigation`, 'no_article_body', 422],
  ])('refuses a URL import from %s with a clear error', async (_what, url, code, expectedStatus) => {
    const { status, body } = await postJson<ErrorBody>(`${server.url}/api/sources/fetch`, { url: url() });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBe(expectedStatus);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it('answers each bad file with its own error and saves nothing', async () => {
    const before = await count();
    const { body } = await upload([
      ['empty.txt', ''],
      ['image.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
      ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72])],
      ['big.txt', 'x '.repeat(40 * 1024)],
      ['slides.pptx', 'not really'],
      ['nav.html', '<html><body><nav>Home</nav><script>1</script></body></html>'],
    ]);
    const codes = body.drafts.map((d) => ('error' in d ? d.error.code : 'ok'));
    expect(codes).toEqual([
      'empty_source',
      'binary_content',
      'invalid_utf8',
      'source_too_large',
      'unsupported_format',
      'no_article_body',
    ]);
    expect(await count()).toBe(before);
  });

  it('refuses more than 20 files in one upload, before extracting any', async () => {
    const files: Array<[string, string]> = Array.from({ length: 21 }, (_, i) => [`${i}.txt`, ARTICLE]);
    const { status, body } = await upload(files);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/20 files/) });
  });

  it('refuses empty pasted text and oversized bodies', async () => {
    const empty = await postJson<ErrorBody>(`${server.url}/api/sources/preview`, { format: 'text', content: '   \n ' });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('empty_source');
    // The server answers 413 before reading the whole body and drops that connection: use one of
    // its own so the shared keep-alive pool is not handed a closed socket.
    const huge = await new Promise<{ status: number; body: ErrorBody }>((resolve, reject) => {
      const payload = JSON.stringify({ format: 'text', content: 'y'.repeat(200 * 1024), acceptedCleaning: [] });
      const req = request(
        `${server.url}/api/sources`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ErrorBody }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('source_too_large');
  });

  it('refuses text containing NUL with invalid_text, on preview and on save alike, and saves nothing', async () => {
    const before = await count();
    const content = `${ARTICLE}abc\u0000def`;
    for (const path of ['/api/sources/preview', '/api/sources']) {
      const { status, body } = await postJson<ErrorBody>(`${server.url}${path}`, {
        format: 'text',
        content,
        acceptedCleaning: [],
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('invalid_text');
      expect(body.error.message).toMatch(/NUL/);
    }
    const title = await postJson<ErrorBody>(`${server.url}/api/sources`, {
      format: 'text',
      content: ARTICLE,
      acceptedCleaning: [],
      metadata: { title: 'A\u0000B' },
    });
    expect(title.status).toBe(422);
    expect(title.body.error.message).toMatch(/metadata\.title/);
    expect(await count()).toBe(before);
  });

  it('replaces a lone surrogate with U+FFFD, as decoding would, and stores that as the original', async () => {
    // JSON.stringify writes a lone surrogate as the escape \ud800: the one way it can arrive.
    const content = `A headline with a broken \ud800 character\n\n${ARTICLE}`;
    const preview = await postJson<Draft>(`${server.url}/api/sources/preview`, { format: 'text', content });
    expect(preview.status).toBe(200);
    expect(preview.body.content).toBe(content.replace('\ud800', '\ufffd'));
    const saved = await postJson<{ id: string; title: string }>(`${server.url}/api/sources`, {
      format: 'text',
      content,
      acceptedCleaning: [],
      metadata: { 'container-title': 'Wire \udc00' },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.title).toBe('A headline with a broken \ufffd character');
    expect(await (await authFetch(`${server.url}/api/sources/${saved.body.id}/raw`)).text()).toBe(preview.body.content);
    const detail = (await (await authFetch(`${server.url}/api/sources/${saved.body.id}`)).json()) as {
      csl: Record<string, unknown>;
    };
    expect(detail.csl['container-title']).toBe('Wire \ufffd');
  });

  it('answers HTML without a document element or body with a clear error, not a 500', async () => {
    for (const content of ['<script>document.title = 1</script>'.repeat(1_500), 'words without markup']) {
      const { status, body } = await postJson<ErrorBody>(`${server.url}/api/sources/preview`, {
        format: 'html',
        content,
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('no_article_body');
    }
    const fragment = await postJson<Draft>(`${server.url}/api/sources/preview`, {
      format: 'html',
      content: `<article>${'<p>An article pasted as a fragment, with no html or body element around it. </p>'.repeat(4)}</article>`,
    });
    expect(fragment.status).toBe(200);
    expect(fragment.body.normalised).toContain('pasted as a fragment');
  });

  it('refuses HTML nested 7,000 deep with source_too_complex, and /healthz answers meanwhile', async () => {
    const content = `${'<div>'.repeat(7_000)}deep`;
    const [imported, health] = await Promise.all([
      postJson<ErrorBody>(`${server.url}/api/sources/preview`, { format: 'html', content }),
      authFetch(`${server.url}/healthz`),
    ]);
    expect(imported.status).toBe(422);
    expect(imported.body.error.code).toBe('source_too_complex');
    expect(health.status).toBe(200);
  });

  // A server of its own and an extraction that runs to the limit: on a loaded machine, more than
  // the default 30 s may pass.
  it('stops an extraction past SOURCE_EXTRACT_TIMEOUT_MS with source_too_complex; /healthz answers first', async () => {
    const limited = await startTestServer({ SOURCE_EXTRACT_TIMEOUT_MS: 2_000 });
    try {
      // Within the depth limit, yet Readability needs seconds for it: each chain of 250 levels
      // costs about 0.3 s on this project's machines, 40 of them far more than the limit anywhere.
      const chain = `${'<div><p>word</p>'.repeat(250)}${'</div>'.repeat(250)}`;
      const order: string[] = [];
      const imported = postJson<ErrorBody>(`${limited.url}/api/sources/preview`, {
        format: 'html',
        content: `<html><body>${chain.repeat(40)}</body></html>`,
      }).then((result) => {
        order.push('import');
        return result;
      });
      // A worker has the page: while it parses, the server still answers.
      await expect.poll(() => limited.sourceExtractor.running).toBe(1);
      for (let i = 0; i < 3; i++) {
        expect((await authFetch(`${limited.url}/healthz`)).status).toBe(200);
        order.push('healthz');
      }
      const { status, body } = await imported;
      expect(order).toEqual(['healthz', 'healthz', 'healthz', 'import']);
      expect(status).toBe(422);
      expect(body.error).toMatchObject({
        code: 'source_too_complex',
        message: expect.stringMatching(/longer than 2 s/),
      });
      // The worker that ran it was ended; the next import gets a fresh one.
      const next = await postJson<Draft>(`${limited.url}/api/sources/preview`, { format: 'text', content: ARTICLE });
      expect(next.status).toBe(200);
    } finally {
      await limited.close();
    }
  }, 90_000);

  it('deletes a source no briefing cites', async () => {
    const preview = await postJson<Draft>(`${server.url}/api/sources/preview`, {
      format: 'text',
      content: 'A throwaway source with enough words in it to be a real if short article body.',
    });
    const { body } = await save(preview.body);
    expect((await authFetch(`${server.url}/api/sources/${body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await authFetch(`${server.url}/api/sources/${body.id}`)).status).toBe(404);
  });
});
