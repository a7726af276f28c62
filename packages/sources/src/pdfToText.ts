import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { type CslDate, type CslName, cslDate, cslNameFromString } from './csl.ts';
import type { HtmlMetadata } from './htmlMetadata.ts';
import { SourceError } from './SourceError.ts';

/** More pages than any report a team quotes from; a larger file is refused before its text is read. */
export const MAX_PDF_PAGES = 1000;
/** Fewer letters than this per page on average: the pages are pictures of text (a scan), not text. */
const MIN_LETTERS_PER_PAGE = 20;

interface PositionedText {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

interface Line {
  text: string;
  x: number;
  y: number;
  size: number;
}

const isText = (item: unknown): item is PositionedText =>
  typeof (item as { str?: unknown }).str === 'string' && Array.isArray((item as { transform?: unknown }).transform);

/** The page's text runs as lines, top to bottom as the file lists them. */
function pageLines(items: readonly unknown[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of items) {
    if (!isText(item)) continue;
    const [, , c = 0, d = 0, x = 0, y = 0] = item.transform;
    const size = Math.hypot(c, d) || item.height;
    // A run well above or below the line so far starts a new line, even without an end-of-line mark.
    if (current && current.text !== '' && Math.abs(y - current.y) > Math.max(size, current.size) / 2) {
      lines.push(current);
      current = null;
    }
    current ??= { text: '', x, y, size };
    current.text += item.str;
    current.size = Math.max(current.size, size);
    if (item.hasEOL) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines
    .map((line) => ({ ...line, text: line.text.replace(/\s+/g, ' ').trim() }))
    .filter((line) => line.text !== '');
}

/**
 * Lines joined into paragraphs: a new paragraph where the gap to the line above is larger than
 * one and a half lines, where the text size changes (a heading), where the line is indented, or
 * where the text moves up (a new column). A word hyphenated at the end of a line is joined again.
 */
function paragraphs(lines: Line[]): string[] {
  const result: string[] = [];
  let previous: Line | undefined;
  for (const line of lines) {
    const height = Math.max(line.size, previous?.size ?? 0);
    const startsParagraph =
      !previous ||
      previous.y - line.y <= 0 ||
      previous.y - line.y > height * 1.5 ||
      Math.abs(line.size - previous.size) > 0.5 ||
      line.x - previous.x > line.size;
    if (startsParagraph) {
      result.push(line.text);
    } else {
      const last = result.pop()!;
      result.push(
        /\p{L}-$/u.test(last) && /^\p{Ll}/u.test(line.text) ? last.slice(0, -1) + line.text : `${last} ${line.text}`,
      );
    }
    previous = line;
  }
  return result;
}

/** "D:20240305101500+01'00'", the date format of a PDF's information dictionary. */
function pdfDate(value: unknown): CslDate | undefined {
  const match = typeof value === 'string' ? /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(value.trim()) : null;
  if (!match) return undefined;
  return cslDate(
    Number(match[1]),
    match[2] === undefined ? undefined : Number(match[2]),
    match[3] === undefined ? undefined : Number(match[3]),
  );
}

/** What authoring programs write when nobody set a title: not a title. */
const PLACEHOLDER_TITLE =
  /^(?:untitled.*|microsoft (?:word|powerpoint) - .*|document\d*|.*\.(?:docx?|pdf|indd|tex|odt|rtf))$/i;

function propertyText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

function names(value: string | undefined): CslName[] | undefined {
  const parsed = (value ?? '').split(/\s*(?:;|\band\b|&)\s*/).flatMap((name) => cslNameFromString(name) ?? []);
  return parsed.length > 0 ? parsed : undefined;
}

function properties(info: Record<string, unknown>, xmp: { get(name: string): unknown } | null): HtmlMetadata {
  const title = propertyText(info.Title) ?? propertyText(xmp?.get('dc:title'));
  const author = propertyText(info.Author) ?? propertyText(xmp?.get('dc:creator'));
  const metadata: HtmlMetadata = {};
  if (title && !PLACEHOLDER_TITLE.test(title)) metadata.title = title;
  const authors = names(author);
  if (authors) metadata.authors = authors;
  const created = pdfDate(info.CreationDate);
  if (created) metadata.published = created;
  return metadata;
}

function unreadable(error: unknown): SourceError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'PasswordException') {
    return new SourceError(
      'invalid_document',
      'The PDF is protected by a password; remove the protection and import it again.',
    );
  }
  return new SourceError('invalid_document', 'The file is not a readable PDF document (it is damaged or not a PDF).');
}

/**
 * The text of a PDF with pdf.js (Mozilla's PDF reader): each page's text runs joined into lines and
 * paragraphs, pages separated by blank lines; and what the file's properties say about it (title,
 * author, creation date). Refuses a file that is not a PDF or cannot be opened (`invalid_document`),
 * more than MAX_PDF_PAGES pages (`source_too_complex`), and a PDF whose pages have (almost) no
 * text, a scan without a text layer (`no_text_layer`). Scripts in the file are never run.
 */
export async function pdfToText(bytes: Uint8Array): Promise<{ text: string; markup: HtmlMetadata }> {
  const loading = getDocument({
    // pdf.js takes ownership of the buffer it is given.
    data: bytes.slice(),
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    stopAtErrors: false,
  });
  let document: Awaited<typeof loading.promise>;
  try {
    document = await loading.promise;
  } catch (error) {
    await loading.destroy().catch(() => {});
    throw unreadable(error);
  }
  try {
    if (document.numPages > MAX_PDF_PAGES) {
      throw new SourceError(
        'source_too_complex',
        `The PDF has ${document.numPages.toLocaleString('en')} pages; at most ${MAX_PDF_PAGES.toLocaleString('en')} can be imported.`,
      );
    }
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      pages.push(paragraphs(pageLines(content.items)).join('\n\n'));
      page.cleanup();
    }
    const text = pages.filter((page) => page !== '').join('\n\n');
    const letters = text.match(/\p{L}/gu)?.length ?? 0;
    if (letters < MIN_LETTERS_PER_PAGE * document.numPages) {
      throw new SourceError(
        'no_text_layer',
        'The PDF has no text layer: its pages are images, as in a scan. Run text recognition (OCR) on it first, or paste its text.',
      );
    }
    const { info, metadata } = await document.getMetadata().catch(() => ({ info: {}, metadata: null }));
    return { text, markup: properties(info as Record<string, unknown>, metadata) };
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw unreadable(error);
  } finally {
    await loading.destroy().catch(() => {});
  }
}
