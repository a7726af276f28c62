import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendExcerpt, getSections } from '@debrief/briefing';
import { ExportJSONSchema } from '@debrief/export';
import { describeQuote, excerptSelectors, sha256Hex } from '@debrief/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPerson,
  type Client,
  connectClient,
  createBriefing,
  createSource,
  getJson,
  postJson,
  SAMPLE_SOURCES_DIR,
  startTestServer,
  type TestServer,
  typeParagraph,
} from '../testing.ts';

interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  step: string | null;
  progress: number;
  error: string | null;
  sha256: string | null;
  reused: boolean;
  fileName: string | null;
}

const ORPHAN = 'Nobody on the call used the secure line they were given.';

/** Export jobs through the API: progress, the file, reuse, the audit log, and who may export. */
describe('exports of a briefing', () => {
  let server: TestServer;
  let briefingId: string;
  const quotes: string[] = [];
  const clients: Client[] = [];

  const job = async (id: string, headers: Record<string, string> = {}) =>
    (await (await fetch(`${server.url}/api/exports/${id}`, { headers: { ...auth(), ...headers } })).json()) as Job;
  const auth = () => ({ authorization: `Bearer ${server.account.token}` });
  const finished = async (id: string, headers: Record<string, string> = {}) => {
    for (;;) {
      const current = await job(id, headers);
      if (current.status === 'done' || current.status === 'failed') return current;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    server = await startTestServer();
    briefingId = await createBriefing(server.url, 'Webex intercept lessons');
    const client = connectClient(server.url, briefingId);
    clients.push(client);
    await client.synced;
    typeParagraph(client.doc, 0, 'A dial-in from an unsecured line defeated a certified platform.');
    for (const name of ['000_fd74128d826f9f2b.txt', '003_bf3c4a421ac649b4.txt']) {
      const { id } = await createSource(server.url, { content: readFileSync(join(SAMPLE_SOURCES_DIR, name), 'utf8') });
      const { body } = await getJson<{ text: string }>(`${server.url}/api/sources/${id}`);
      const line = body.text.split('\n').find((l) => l.length > 60)!;
      const start = body.text.indexOf(line);
      const anchor = describeQuote(body.text, start, start + line.length);
      quotes.push(anchor.quote.exact);
      appendExcerpt(client.doc, getSections(client.doc)[0]!.id, { sourceId: id, ...excerptSelectors(anchor) });
      if (quotes.length === 1) {
        appendExcerpt(client.doc, getSections(client.doc)[1]!.id, {
          sourceId: id,
          exact: ORPHAN,
          start: 0,
          end: ORPHAN.length,
          quoteSha256: sha256Hex(ORPHAN),
        });
      }
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('runs an export as a job with progress, serves the file with its sha256, and audits it', async () => {
    const started = await postJson<Job>(`${server.url}/api/briefings/${briefingId}/exports`, { format: 'markdown' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', reused: false });
    expect(started.body.progress).toBeGreaterThanOrEqual(0);
    const done = await finished(started.body.id);
    expect(done).toMatchObject({ status: 'done', progress: 100, fileName: 'Webex-intercept-lessons.md' });
    const response = await fetch(`${server.url}/api/exports/${done.id}/file`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/markdown');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const file = new Uint8Array(await response.arrayBuffer());
    expect(createHash('sha256').update(file).digest('hex')).toBe(done.sha256);
    expect(response.headers.get('etag')).toBe(`"${done.sha256}"`);
    // Markdown escapes punctuation: the text as a reader shows it has every quote.
    const text = new TextDecoder().decode(file).replace(/\\(.)/g, '$1');
    for (const quote of quotes) expect(text.replace(/\s+/g, ' ')).toContain(quote.replace(/\s+/g, ' '));
    expect(text).toContain(`${ORPHAN}[^3]`);
    expect(text).toContain('INTEGRITY WARNING (orphaned)');
    const row = await server.db.prisma.exportJob.findUniqueOrThrow({ where: { id: done.id } });
    expect(row).toMatchObject({ requestedById: server.account.userId, format: 'markdown', sha256: done.sha256 });
    const audit = await server.db.prisma.auditEvent.findFirst({
      where: { action: 'briefing.exported', targetId: briefingId },
    });
    expect(audit?.details).toMatchObject({
      exportJob: done.id,
      format: 'markdown',
      sha256: done.sha256,
      reused: false,
    });
    // The first export starts the worker, which loads the renderers and warms the citation styles.
  }, 120_000);

  it('serves the finished file again for the same state and format, recorded as an export of its own', async () => {
    const first = await finished(
      (await postJson<Job>(`${server.url}/api/briefings/${briefingId}/exports`, { format: 'html' })).body.id,
    );
    const again = await postJson<Job>(`${server.url}/api/briefings/${briefingId}/exports`, { format: 'html' });
    expect(again.body).toMatchObject({ status: 'done', reused: true, sha256: first.sha256 });
    expect(again.body.id).not.toBe(first.id);
    const audits = await server.db.prisma.auditEvent.count({
      where: { action: 'briefing.exported', targetId: briefingId },
    });
    expect(audits).toBeGreaterThanOrEqual(3);
  });

  it('exports a named version as it was, in JSON that validates', async () => {
    const version = await postJson<{ id: string }>(`${server.url}/api/briefings/${briefingId}/versions`, {
      name: 'Sent to commander',
    });
    const response = await fetch(
      `${server.url}/api/briefings/${briefingId}/export?format=json&version=${version.body.id}`,
      { headers: auth() },
    );
    expect(response.status).toBe(200);
    const json = ExportJSONSchema.parse(await response.json());
    expect(json.version).toBe('Sent to commander');
    expect(json.excerpts.filter((e) => e.flagged).map((e) => e.selectors[0].exact)).toEqual([ORPHAN]);
    expect(json.references).toHaveLength(2);
  });

  it('lets a viewer export only a final briefing, and says why otherwise', async () => {
    const viewer = await addPerson(server, 'viewer', 'Viewer');
    const headers = { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' };
    const refused = await fetch(`${server.url}/api/briefings/${briefingId}/exports`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ format: 'pdf' }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const final = await postJson(`${server.url}/api/briefings/${briefingId}/status`, { status: 'final' }, 'PUT');
    expect(final.status).toBe(200);
    const pdf = await fetch(`${server.url}/api/briefings/${briefingId}/export?format=pdf`, { headers });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  }, 60_000);

  it('answers a bad format and an unknown job with the API’s error body', async () => {
    const bad = await postJson<{ error: { code: string; message: string } }>(
      `${server.url}/api/briefings/${briefingId}/exports`,
      { format: 'rtf' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('format');
    const missing = await fetch(`${server.url}/api/exports/00000000-0000-4000-8000-000000000000`, { headers: auth() });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('export_not_found');
  });
});
