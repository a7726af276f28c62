import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * PDF and Word documents written by the tests themselves (never the shared corpus), with real
 * writers: pdf-lib for PDF, docx for Word. Also hostile files: scans without text, zip bombs.
 * Not used at run time.
 */

export interface PdfPage {
  heading?: string;
  /** Each paragraph wrapped to the page width, or given as its lines. */
  paragraphs: Array<string | string[]>;
}

export interface DocumentProperties {
  title?: string;
  author?: string;
  created?: Date;
}

/** A PDF with a text layer: each page's heading, then its paragraphs wrapped to the page width. */
export async function makePdf(pages: PdfPage[], properties: DocumentProperties = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (properties.title) pdf.setTitle(properties.title);
  if (properties.author) pdf.setAuthor(properties.author);
  if (properties.created) pdf.setCreationDate(properties.created);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const width = 595;
  const margin = 60;
  for (const [index, content] of pages.entries()) {
    const page = pdf.addPage([width, 842]);
    let y = 780;
    if (content.heading) {
      page.drawText(content.heading, { x: margin, y, size: 18, font: bold });
      y -= 40;
    }
    for (const paragraph of content.paragraphs) {
      const lines = Array.isArray(paragraph)
        ? paragraph
        : wrap(paragraph, (text) => font.widthOfTextAtSize(text, 11), width - 2 * margin);
      for (const line of lines) {
        page.drawText(line, { x: margin, y, size: 11, font });
        y -= 15;
      }
      y -= 12;
    }
    page.drawText(String(index + 1), { x: width / 2, y: 30, size: 9, font });
  }
  return pdf.save();
}

function wrap(text: string, measure: (text: string) => number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A grey square as a PNG, written by hand: the picture a scanner puts on a page. */
function png(size: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc(size * (size + 1), 0x90);
  for (let row = 0; row < size; row++) rows[row * (size + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** A scanned document: every page is a picture, and there is no text layer at all. */
export async function makeScannedPdf(pageCount: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const image = await pdf.embedPng(png(64));
  for (let index = 0; index < pageCount; index++) {
    pdf.addPage([595, 842]).drawImage(image, { x: 40, y: 40, width: 515, height: 762 });
  }
  return pdf.save();
}

/** A PDF with `pageCount` empty pages. */
export async function makeBlankPdf(pageCount: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let index = 0; index < pageCount; index++) pdf.addPage([200, 200]);
  return pdf.save();
}

export interface DocxContent {
  title?: string;
  heading?: string;
  paragraphs: string[];
  bullets?: string[];
  creator?: string;
}

/** A Word document: a Title-style heading, paragraphs and a bulleted list, with core properties. */
export async function makeDocx(content: DocxContent): Promise<Uint8Array> {
  const children: Paragraph[] = [];
  if (content.heading) children.push(new Paragraph({ text: content.heading, heading: HeadingLevel.TITLE }));
  for (const text of content.paragraphs) children.push(new Paragraph({ children: [new TextRun(text)] }));
  for (const text of content.bullets ?? []) children.push(new Paragraph({ text, bullet: { level: 0 } }));
  const document = new Document({
    ...(content.title ? { title: content.title } : {}),
    ...(content.creator ? { creator: content.creator } : {}),
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** What the archive's directory claims the entry inflates to; the truth unless given. */
  declaredSize?: number;
}

/**
 * A zip archive written by hand, every entry deflated, so that tests can make archives that lie
 * about their sizes: what a zip bomb does.
 */
export function makeZip(entries: ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.byteLength;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.byteLength, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.byteLength, 26);
    locals.push(local, name, compressed);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.byteLength, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.byteLength, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.byteLength + name.byteLength + compressed.byteLength;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

/**
 * A DOCX-shaped zip bomb: its document part is `inflatedBytes` of spaces (a few hundred kB
 * compressed). `honest` declares that size in the directory; otherwise it claims a few bytes.
 */
export function makeZipBombDocx(inflatedBytes: number, honest: boolean): Uint8Array {
  const document = new Uint8Array(inflatedBytes).fill(0x20);
  return makeZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'word/document.xml', data: document, ...(honest ? {} : { declaredSize: 1000 }) },
  ]);
}
