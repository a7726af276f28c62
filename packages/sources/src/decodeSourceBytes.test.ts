import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SOURCE_BYTES, decodeSourceBytes, formatFromName } from './server.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

function expectCode(run: () => unknown, code: string) {
  expect(run).toThrowError(expect.objectContaining({ code, message: expect.stringMatching(/^[A-Z].*\.$/) }));
}

describe('decodeSourceBytes', () => {
  it('decodes UTF-8 text and drops a byte order mark', () => {
    expect(decodeSourceBytes(utf8('\ufeffGerasimov’s “Era” 🔒'))).toBe('Gerasimov’s “Era” 🔒');
  });

  it('refuses a source over the size limit before looking at its content', () => {
    expect(DEFAULT_MAX_SOURCE_BYTES).toBe(5 * 1024 * 1024);
    expectCode(() => decodeSourceBytes(new Uint8Array(DEFAULT_MAX_SOURCE_BYTES + 1)), 'source_too_large');
    expectCode(() => decodeSourceBytes(utf8('x'.repeat(11)), { maxBytes: 10 }), 'source_too_large');
  });

  it('refuses empty and whitespace-only files', () => {
    expectCode(() => decodeSourceBytes(new Uint8Array()), 'empty_source');
    expectCode(() => decodeSourceBytes(utf8(' \n\t\r\n  ')), 'empty_source');
  });

  it.each([
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]],
    ['PDF', [...utf8('%PDF-1.7\nrest of a pdf')]],
    ['ZIP', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]],
    ['GIF', [...utf8('GIF89a......')]],
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]],
  ])('refuses a %s file as binary', (_name, bytes) => {
    expectCode(() => decodeSourceBytes(Uint8Array.from(bytes)), 'binary_content');
  });

  it('refuses text with NUL bytes or many control characters as binary', () => {
    expectCode(() => decodeSourceBytes(utf8('plain text\u0000with a NUL')), 'binary_content');
    expectCode(() => decodeSourceBytes(utf8('ab\u0001\u0002\u0003cd\u0004\u0005\u0006ef')), 'binary_content');
  });

  it('refuses invalid UTF-8, naming the problem', () => {
    expect(() => decodeSourceBytes(Uint8Array.from([0x48, 0x69, 0xc3, 0x28, 0x21]))).toThrowError(
      'The file is not valid UTF-8 text.',
    );
    expectCode(() => decodeSourceBytes(Uint8Array.from([0xff, 0xfe, 0x48, 0x00])), 'invalid_utf8');
  });

  it('decodes another declared charset, and refuses one it does not know', () => {
    expect(decodeSourceBytes(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), { encoding: 'iso-8859-1' })).toBe('café');
    expectCode(() => decodeSourceBytes(utf8('text'), { encoding: 'x-unknown' }), 'invalid_utf8');
  });
});

describe('formatFromName', () => {
  it.each([
    ['notes.txt', 'text'],
    ['README.MD', 'markdown'],
    ['post.markdown', 'markdown'],
    ['page.html', 'html'],
    ['page.htm', 'html'],
    ['After-Action Report.PDF', 'pdf'],
    ['statement.docx', 'docx'],
  ])('reads %s as %s', (name, format) => {
    expect(formatFromName(name)).toBe(format);
  });

  it('falls back to the media type when the name has no known extension', () => {
    expect(formatFromName('download', 'text/html; charset=utf-8')).toBe('html');
    expect(formatFromName('clip', 'text/markdown')).toBe('markdown');
    expect(formatFromName('download', 'application/pdf')).toBe('pdf');
    expect(formatFromName('download', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'docx',
    );
  });

  it.each(['slides.pptx', 'old-report.doc', 'scan.png', 'noextension', 'file.constructor', 'archive.tar.gz'])(
    'refuses %s',
    (name) => {
      expectCode(() => formatFromName(name), 'unsupported_format');
    },
  );
});
