import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anchorQuote, applyCleaning, describeQuote } from './index.ts';
import { base64FromBytes, MAX_PDF_PAGES, prepareDocumentSource } from './server.ts';
import {
  makeBlankPdf,
  makeDocx,
  makePdf,
  makeScannedPdf,
  makeZip,
  makeZipBombDocx,
} from './testing/documentFixtures.ts';

const accessed = new Date('2025-04-01T08:00:00Z');
const FIRST =
  'The officer dialled in to the conference from an unsecured hotel line, which let the adversary record the whole call.';
const SECOND =
  'Certified platforms do not protect a meeting when one participant joins from an uncertified device or network.';
const THIRD = 'Recommendation: brief every participant on the dial-in rules before each classified call.';

const prepare = (format: 'pdf' | 'docx', bytes: Uint8Array) =>
  prepareDocumentSource({ format, content: base64FromBytes(bytes), accessed });

async function expectCode(promise: Promise<unknown>, code: string, message?: RegExp) {
  await expect(promise).rejects.toMatchObject({
    code,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });
}

describe('PDF sources', () => {
  it('extracts paragraphs (lines joined, pages separated) and takes metadata from the file’s properties', async () => {
    const bytes = await makePdf(
      [
        { heading: 'After-action report', paragraphs: [FIRST, SECOND] },
        { heading: 'Recommendations', paragraphs: [THIRD] },
      ],
      {
        title: 'Exercise Steel Wire: after-action report',
        author: 'Jane Doe; John Roe',
        created: new Date('2024-03-05T10:00:00Z'),
      },
    );
    const draft = await prepare('pdf', bytes);
    expect(draft.format).toBe('pdf');
    // The original is the file itself: its hash is the file's, as sha256sum prints it.
    expect(draft.rawSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(Buffer.from(draft.raw, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(draft.normalised).toBe(
      ['After-action report', FIRST, SECOND, '1', 'Recommendations', THIRD, '2'].join('\n\n'),
    );
    expect(draft.metadata).toMatchObject({
      title: 'Exercise Steel Wire: after-action report',
      author: [
        { given: 'Jane', family: 'Doe' },
        { given: 'John', family: 'Roe' },
      ],
      issued: { 'date-parts': [[2024, 3, 5]] },
    });
  });

  it('proposes removing page numbers, and anchors quotes in the text exactly as for articles', async () => {
    const bytes = await makePdf([{ paragraphs: [FIRST] }, { paragraphs: [SECOND] }, { paragraphs: [THIRD] }]);
    const draft = await prepare('pdf', bytes);
    expect(draft.proposals.map((p) => [p.kind, p.text.trim()])).toEqual([
      ['page_number', '1'],
      ['page_number', '2'],
      ['page_number', '3'],
    ]);
    const text = applyCleaning(
      draft.normalised,
      draft.proposals,
      draft.proposals.map((p) => p.id),
    );
    expect(text).toBe([FIRST, SECOND, THIRD].join('\n\n'));
    const start = text.indexOf('from an unsecured hotel line');
    const anchor = describeQuote(text, start, start + 'from an unsecured hotel line'.length);
    expect(anchorQuote(text, anchor)).toEqual({ status: 'anchored', start, end: anchor.position.end });
  });

  it('joins a word hyphenated at the end of a line, and keeps other line ends as spaces', async () => {
    const lines = ['The secure communi-', 'cations were intercepted; the self-', 'Reliant units were not.'];
    const draft = await prepare('pdf', await makePdf([{ paragraphs: [lines] }]));
    // Only before a lower-case letter: a hyphen before a capital is the writer's own.
    expect(draft.normalised.split('\n\n')[0]).toBe(
      'The secure communications were intercepted; the self- Reliant units were not.',
    );
  });

  it('refuses a scan without a text layer with no_text_layer, not an empty source', async () => {
    await expectCode(prepare('pdf', await makeScannedPdf(3)), 'no_text_layer', /OCR/);
  });

  it('refuses a malformed or truncated PDF with invalid_document', async () => {
    await expectCode(
      prepare('pdf', new TextEncoder().encode('%PDF-1.7\nthis is not a PDF at all')),
      'invalid_document',
    );
    const good = await makePdf([{ paragraphs: [FIRST] }]);
    await expectCode(prepare('pdf', good.slice(0, 200)), 'invalid_document');
    await expectCode(prepare('pdf', await makeDocx({ paragraphs: [FIRST] })), 'invalid_document');
  });

  it(`refuses more than ${MAX_PDF_PAGES} pages before reading any text`, async () => {
    await expectCode(prepare('pdf', await makeBlankPdf(MAX_PDF_PAGES + 1)), 'source_too_complex', /1,001 pages/);
  }, 30_000);

  it('refuses content that is not base64, and an empty file', async () => {
    await expectCode(prepareDocumentSource({ format: 'pdf', content: '%PDF-1.7 not base64!' }), 'invalid_base64');
    await expectCode(prepareDocumentSource({ format: 'pdf', content: '' }), 'empty_source');
  });
});

describe('DOCX sources', () => {
  it('extracts the title, paragraphs and list items, with the core properties as metadata', async () => {
    const bytes = await makeDocx({
      title: 'Statement on the Era phones',
      creator: 'Jane Doe',
      heading: 'Statement on secure communications',
      paragraphs: [FIRST, SECOND],
      bullets: ['Brief every participant', 'Check every dial-in'],
    });
    const draft = await prepare('docx', bytes);
    expect(draft.format).toBe('docx');
    expect(draft.rawSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(draft.normalised).toBe(
      ['Statement on secure communications', FIRST, SECOND, '• Brief every participant\n• Check every dial-in'].join(
        '\n\n',
      ),
    );
    expect(draft.metadata).toMatchObject({
      title: 'Statement on the Era phones',
      author: [{ given: 'Jane', family: 'Doe' }],
    });
    expect(draft.metadata.issued?.['date-parts'][0]?.[0]).toBe(new Date().getUTCFullYear());
  });

  it('takes the first heading as the title when the properties have none, and no placeholder author', async () => {
    // The docx writer, like Word without a user name, puts a placeholder in the author field.
    const draft = await prepare('docx', await makeDocx({ heading: 'Lessons from Kharkiv', paragraphs: [FIRST] }));
    expect(draft.metadata.title).toBe('Lessons from Kharkiv');
    expect(draft.metadata.author).toBeUndefined();
  });

  it('refuses a zip bomb that declares its size, before inflating it', async () => {
    await expectCode(prepare('docx', makeZipBombDocx(120 * 1024 * 1024, true)), 'source_too_complex', /100 MB/);
  });

  it('refuses a zip bomb that lies about its size, as soon as a part inflates past what it declares', async () => {
    await expectCode(
      prepare('docx', makeZipBombDocx(120 * 1024 * 1024, false)),
      'source_too_complex',
      /larger than it declares/,
    );
  });

  it('refuses a file that is not a Word document with invalid_document', async () => {
    await expectCode(prepare('docx', new TextEncoder().encode('PK\u0003\u0004 not really a zip')), 'invalid_document');
    await expectCode(prepare('docx', makeZip([{ name: 'hello.txt', data: Buffer.from('hello') }])), 'invalid_document');
    await expectCode(prepare('docx', await makePdf([{ paragraphs: [FIRST] }])), 'invalid_document');
  });
});
