import { DOMParser } from 'linkedom';
import mammoth from 'mammoth';
import yauzl from 'yauzl';
import { type CslName, cslDateFromIso, cslNameFromString } from './csl.ts';
import { type DomElement, parseHtmlDocument } from './dom.ts';
import type { HtmlMetadata } from './htmlMetadata.ts';
import { htmlToText } from './htmlToText.ts';
import { SourceError } from './SourceError.ts';

/**
 * Most bytes a DOCX may inflate to, all its parts together. A Word document of the largest size
 * accepted (5 MB) inflates to a few tens of MB; a zip bomb to gigabytes.
 */
export const MAX_DOCX_INFLATED_BYTES = 100 * 1024 * 1024;
/** Most parts in one DOCX (a long report with many images has a few hundred). */
export const MAX_DOCX_ENTRIES = 5000;
/** The property parts read: small XML, anything larger is not what Word writes. */
const MAX_PROPERTIES_BYTES = 256 * 1024;
const PROPERTY_PARTS = new Set(['docProps/core.xml', 'docProps/app.xml']);

const notDocx = () =>
  new SourceError(
    'invalid_document',
    'The file is not a readable Word document (.docx): it is damaged or of another kind.',
  );
const tooBig = (what: string) =>
  new SourceError(
    'source_too_complex',
    `The Word document ${what}; it cannot be imported (a compressed file built to fill memory looks like this).`,
  );

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const settle = (value: yauzl.Entry | null, error?: Error) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      if (error) reject(error);
      else resolve(value);
    };
    const onEntry = (entry: yauzl.Entry) => settle(entry);
    const onEnd = () => settle(null);
    const onError = (error: Error) => settle(null, error);
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

async function drain(stream: NodeJS.ReadableStream, keep: boolean): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) if (keep) chunks.push(chunk as Buffer);
  return keep ? Buffer.concat(chunks) : null;
}

/**
 * Opens the archive before mammoth does and inflates every part once, refusing archives that
 * would fill memory: too many parts, more than MAX_DOCX_INFLATED_BYTES declared, or a part that
 * inflates past the size its directory declares (yauzl stops it there). mammoth's zip reader checks
 * sizes only after inflating a whole part. Returns the property parts.
 */
async function inspectArchive(bytes: Buffer): Promise<Map<string, string>> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw notDocx();
  }
  const parts = new Map<string, string>();
  let entries = 0;
  let declared = 0;
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) break;
      if (++entries > MAX_DOCX_ENTRIES) throw tooBig(`has more than ${MAX_DOCX_ENTRIES.toLocaleString('en')} parts`);
      declared += entry.uncompressedSize;
      if (declared > MAX_DOCX_INFLATED_BYTES)
        throw tooBig(`inflates to more than ${MAX_DOCX_INFLATED_BYTES / 1024 / 1024} MB`);
      if (entry.fileName.endsWith('/')) continue;
      const keep = PROPERTY_PARTS.has(entry.fileName) && entry.uncompressedSize <= MAX_PROPERTIES_BYTES;
      const content = await drain(await zip.openReadStreamPromise(entry), keep);
      if (content) parts.set(entry.fileName, content.toString('utf8'));
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    // yauzl's words for a part larger than declared: the archive lies about its contents.
    if (/too many bytes|expected \d+/i.test((error as Error).message))
      throw tooBig('holds a part larger than it declares');
    throw notDocx();
  } finally {
    zip.close();
  }
  return parts;
}

/** The text of the first element with this local name, whatever namespace prefix the writer used. */
function xmlText(xml: string | undefined, localName: string): string | undefined {
  if (!xml) return undefined;
  // linkedom's XML documents keep the prefix in the element's name ("dc:title").
  const document = new DOMParser().parseFromString(xml, 'text/xml') as unknown as {
    querySelectorAll(selector: string): Iterable<{ tagName: string; textContent: string | null }>;
  };
  const element = [...document.querySelectorAll('*')].find((e) => e.tagName.split(':').pop() === localName);
  const text = element?.textContent?.replace(/\s+/g, ' ').trim();
  return text || undefined;
}

/** What writing programs put in the author field when nobody is named: not an author. */
const PLACEHOLDER_AUTHOR = /^(?:un-?named|unknown|author|user|administrator|admin|microsoft office user)$/i;

function properties(parts: Map<string, string>, firstHeading: string | undefined): HtmlMetadata {
  const core = parts.get('docProps/core.xml');
  const metadata: HtmlMetadata = {};
  const title = xmlText(core, 'title') ?? firstHeading;
  if (title) metadata.title = title;
  const authors = (xmlText(core, 'creator') ?? '')
    .split(/\s*(?:;|\band\b|&)\s*/)
    .filter((name) => !PLACEHOLDER_AUTHOR.test(name))
    .flatMap((name): CslName[] => {
      const parsed = cslNameFromString(name);
      return parsed ? [parsed] : [];
    });
  if (authors.length > 0) metadata.authors = authors;
  const created = cslDateFromIso(xmlText(core, 'created') ?? '');
  if (created) metadata.published = created;
  const company = xmlText(parts.get('docProps/app.xml'), 'Company');
  if (company) metadata.siteName = company;
  return metadata;
}

/**
 * The text of a Word document (.docx) with mammoth: headings, paragraphs, list items and table
 * cells as in a web page, images left out; and what the file's properties say about it (title,
 * author, creation date, the company that wrote it), the first heading as the title when the
 * properties have none. Refuses a file that is not a DOCX (`invalid_document`) and archives built
 * to fill memory (`source_too_complex`), before mammoth inflates them.
 */
export async function docxToText(bytes: Uint8Array): Promise<{ text: string; markup: HtmlMetadata }> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = await inspectArchive(buffer);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer },
      {
        styleMap: ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"],
        // Images are not text; they are never decoded.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch {
    throw notDocx();
  }
  const document = parseHtmlDocument(`<!doctype html><html><body>${html}</body></html>`);
  const heading = (document.querySelector('h1') as DomElement | null)?.textContent?.replace(/\s+/g, ' ').trim();
  const text = htmlToText(document.body ?? document.documentElement);
  return { text, markup: properties(parts, heading || undefined) };
}
