import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { makeDocx, makePdf, makeScannedPdf, makeZipBombDocx } from '@debrief/sources/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFetch, postJson, startTestServer, type TestServer } from '../testing.ts';

interface Draft {
  fileName?: string;
  format: string;
  content: string;
  normalised: string;
  proposals: Array<{ id: string; kind: string; text: string }>;
  metadata: { title?: string; author?: unknown[]; issued?: { 'date-parts': number[][] } };
}
type DraftOrError = Draft | { fileName: string; error: { code: string; message: string } };

const FINDING =
  'The officer dialled in to the conference from an unsecured hotel line, which let the adversary record the whole call.';
const LESSON = 'Certified platforms do not protect a meeting when one participant joins from an uncertified network.';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('PDF and Word sources through the API', () => {
  let server: TestServer;
  let pdf: Uint8Array;
  let docx: Uint8Array;

  const upload = async (files: Array<[string, Uint8Array]>) => {
    const form = new FormData();
    for (const [name, content] of files) form.append('files', new Blob([content as Uint8Array<ArrayBuffer>]), name);
    const response = await authFetch(`${server.url}/api/sources/upload`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    return ((await response.json()) as { drafts: DraftOrError[] }).drafts;
  };

  beforeAll(async () => {
    // Private addresses allowed: the URL test serves its PDF from this machine.
    server = await startTestServer({ SOURCE_FETCH_ALLOW_PRIVATE: true });
    pdf = await makePdf([{ heading: 'After-action report', paragraphs: [FINDING, LESSON] }], {
      title: 'Exercise Steel Wire',
      author: 'Jane Doe',
      created: new Date('2024-03-05T10:00:00Z'),
    });
    docx = await makeDocx({ title: 'Statement on dial-ins', heading: 'Statement', paragraphs: [LESSON, FINDING] });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('previews an uploaded PDF and DOCX, saves them, and gives back each file exactly as uploaded', async () => {
    const drafts = (await upload([
      ['steel-wire.pdf', pdf],
      ['statement.docx', docx],
    ])) as Draft[];
    expect(drafts.map((d) => [d.fileName, d.format, d.metadata.title])).toEqual([
      ['steel-wire.pdf', 'pdf', 'Exercise Steel Wire'],
      ['statement.docx', 'docx', 'Statement on dial-ins'],
    ]);
    expect(drafts[0]!.normalised).toContain(FINDING);
    expect(drafts[1]!.normalised).toContain(LESSON);

    for (const [draft, file, type] of [
      [drafts[0]!, pdf, 'application/pdf'],
      [drafts[1]!, docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const) {
      const saved = await postJson<{ id: string; title: string }>(`${server.url}/api/sources`, {
        format: draft.format,
        content: draft.content,
        fileName: draft.fileName,
        acceptedCleaning: draft.proposals.map((p) => p.id),
      });
      expect(saved.status).toBe(201);
      expect(saved.body.title).toBe(draft.metadata.title);
      const detail = (await (await authFetch(`${server.url}/api/sources/${saved.body.id}`)).json()) as {
        format: string;
        text: string;
        rawSha256: string;
      };
      expect(detail.format).toBe(draft.format);
      expect(detail.rawSha256).toBe(sha256(file));
      expect(detail.text).toContain(FINDING);
      const raw = await authFetch(`${server.url}/api/sources/${saved.body.id}/raw`);
      expect(raw.headers.get('content-type')).toBe(type);
      expect(raw.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
      expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(file))).toBe(true);
    }
  });

  it('answers each hostile file with its own clear error and still reads the good one beside it', async () => {
    const drafts = await upload([
      ['scan.pdf', await makeScannedPdf(2)],
      ['broken.pdf', new TextEncoder().encode('%PDF-1.7\nnothing here')],
      ['bomb.docx', makeZipBombDocx(120 * 1024 * 1024, false)],
      ['good.docx', docx],
    ]);
    expect(drafts.map((d) => ('error' in d ? [d.fileName, d.error.code] : [d.fileName, d.format]))).toEqual([
      ['scan.pdf', 'no_text_layer'],
      ['broken.pdf', 'invalid_document'],
      ['bomb.docx', 'source_too_complex'],
      ['good.docx', 'docx'],
    ]);
    expect((await authFetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('takes a file as base64 through the JSON routes, and refuses content that is not base64', async () => {
    const preview = await postJson<Draft>(`${server.url}/api/sources/preview`, {
      format: 'pdf',
      content: Buffer.from(pdf).toString('base64'),
    });
    expect(preview.status).toBe(200);
    expect(preview.body.metadata.author).toEqual([{ given: 'Jane', family: 'Doe' }]);
    const bad = await postJson<{ error: { code: string } }>(`${server.url}/api/sources/preview`, {
      format: 'pdf',
      content: '%PDF-1.7 sent as text',
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_base64']);
  });

  it('imports a PDF by URL', async () => {
    const files = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from(pdf));
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => files.once('listening', resolve));
    try {
      const port = (files.address() as { port: number }).port;
      const fetched = await postJson<Draft & { url: string }>(`${server.url}/api/sources/fetch`, {
        url: `http://127.0.0.1:${port}/report.pdf`,
      });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ format: 'pdf', metadata: { title: 'Exercise Steel Wire' } });
      expect(Buffer.from(fetched.body.content, 'base64').equals(Buffer.from(pdf))).toBe(true);
    } finally {
      files.close();
    }
  });
});
