import { parse as parseYaml } from 'yaml';
import { type CslDate, type CslItem, type CslName, cslDate, cslNameFromString } from './csl.ts';
import { parseWrittenDate } from './metadataFromText.ts';
import { endsLikeSentence, wordCount } from './textLines.ts';

/**
 * The metadata header that clipping tools, read-later apps and note apps put at the top of a
 * saved article: YAML front matter between `---` lines, or plain `key: value` lines.
 */
export interface ClippingHeader {
  form: 'front_matter' | 'key_value';
  /** Length of the header in the content it was read from, its closing line break included. */
  length: number;
  metadata: Pick<CslItem, 'title' | 'URL' | 'issued' | 'accessed' | 'author' | 'container-title'>;
}

type Field = 'title' | 'URL' | 'issued' | 'accessed' | 'author' | 'container-title' | 'source';

/** The keys read, lower-cased, with spaces and underscores as written by the common tools. */
const KEYS = new Map<string, Field>([
  ['title', 'title'],
  ['headline', 'title'],
  ['url', 'URL'],
  ['link', 'URL'],
  ['source url', 'URL'],
  ['source_url', 'URL'],
  ['source', 'source'],
  ['date', 'issued'],
  ['published', 'issued'],
  ['date published', 'issued'],
  ['published_at', 'issued'],
  ['accessed', 'accessed'],
  ['clipped', 'accessed'],
  ['author', 'author'],
  ['authors', 'author'],
  ['by', 'author'],
  ['publisher', 'container-title'],
  ['site', 'container-title'],
  ['site_name', 'container-title'],
  ['site name', 'container-title'],
]);

/** Front matter longer than this is not a clipping header but a document of its own. */
const MAX_FRONT_MATTER_LINES = 200;
const MAX_KEY_VALUE_LINES = 20;

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A date as clipping tools write it: ISO (with or without a time), "March 24, 2025", "24 March 2025". */
function headerDate(value: unknown): CslDate | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? cslDate(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  // The whole value must be a date: "2025 was a hard year" is not one.
  if (
    !/^(?:\d{4}(?:-\d{2}(?:-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]{3,9}\.?,? \d{4})$/.test(
      text,
    )
  ) {
    return undefined;
  }
  return /^\d{4}$/.test(text) ? cslDate(Number(text)) : parseWrittenDate(text);
}

/** "[[Jane Doe]]" (a note app's link to a person's page) is Jane Doe. */
const unlinked = (value: string) => value.replace(/^\[\[(.*)\]\]$/, '$1').trim();

function headerNames(value: unknown): CslName[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  const names = list.flatMap((entry) => {
    const text =
      typeof entry === 'string'
        ? entry
        : entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string'
          ? (entry as { name: string }).name
          : undefined;
    if (text === undefined) return [];
    return text
      .split(/\s*(?:;|&|\band\b)\s*/)
      .map(unlinked)
      .filter((name) => name !== '' && name.length <= 200);
  });
  const parsed = names.flatMap((name) => cslNameFromString(name) ?? []);
  return parsed.length > 0 ? parsed : undefined;
}

/** A short name, not a sentence: "Reuters", not "a senior official who asked not to be named said." */
const looksLikeName = (value: string) => value.length <= 120 && wordCount(value) <= 10 && !endsLikeSentence(value);

type Metadata = ClippingHeader['metadata'];

/** Reads one header field into `into`; false when the value does not fit the key. */
function readField(field: Field, value: unknown, into: Metadata): boolean {
  if (field === 'author') {
    if (typeof value === 'string' && (!looksLikeName(value) || wordCount(value) > 12)) return false;
    const names = headerNames(value);
    if (names) into.author = names;
    return names !== undefined;
  }
  if (field === 'issued' || field === 'accessed') {
    const date = headerDate(value);
    if (date) into[field] = date;
    return date !== undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') return false;
  const text = unlinked(value.replace(/\s+/g, ' '));
  switch (field) {
    case 'title':
      if (text.length > 300) return false;
      into.title = text;
      return true;
    case 'URL': {
      const url = httpUrl(text);
      if (url) into.URL = url;
      return url !== undefined;
    }
    case 'source': {
      // Clippers write the address here; some people write the publication's name.
      const url = httpUrl(text);
      if (url) into.URL = url;
      else if (looksLikeName(text)) into['container-title'] = text;
      else return false;
      return true;
    }
    case 'container-title':
      if (!looksLikeName(text)) return false;
      into['container-title'] = text;
      return true;
  }
}

interface Line {
  text: string;
  /** Offset just past the line, its line break included. */
  end: number;
}

function* linesOf(content: string): Generator<Line> {
  let start = 0;
  while (start < content.length) {
    const lineBreak = /\r\n|\r|\n/g;
    lineBreak.lastIndex = start;
    const found = lineBreak.exec(content);
    const end = found ? found.index + found[0].length : content.length;
    yield { text: content.slice(start, found ? found.index : content.length), end };
    start = end;
  }
}

const FENCE = /^---[ \t]*$/;
const FRONT_MATTER_END = /^(?:---|\.\.\.)[ \t]*$/;

function readFrontMatter(content: string, start: number): ClippingHeader | null {
  const lines = linesOf(content.slice(start));
  const first = lines.next();
  if (first.done || !FENCE.test(first.value.text)) return null;
  const body: string[] = [];
  let end = start + first.value.end;
  for (const line of lines) {
    end = start + line.end;
    if (FRONT_MATTER_END.test(line.text)) {
      let data: unknown;
      try {
        // YAML 1.2 core schema: no custom tags, dates stay strings, a few aliases at most.
        data = parseYaml(body.join('\n'), { schema: 'core', maxAliasCount: 20, uniqueKeys: false });
      } catch {
        return null;
      }
      if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
      const metadata: Metadata = {};
      for (const [key, value] of Object.entries(data)) {
        const field = KEYS.get(key.trim().toLowerCase());
        if (field && !(field in metadata)) readField(field, value, metadata);
      }
      return { form: 'front_matter', length: end, metadata };
    }
    body.push(line.text);
    if (body.length > MAX_FRONT_MATTER_LINES) return null;
  }
  return null;
}

const KEY_VALUE = /^([A-Za-z][A-Za-z _]{0,20}?)[ \t]*:[ \t]+(\S.*?)[ \t]*$/;
/** A rule some tools put under the header. */
const SEPARATOR = /^(?:-{3,}|\*{3,}|={3,})[ \t]*$/;

function readKeyValueLines(content: string, start: number): ClippingHeader | null {
  const metadata: Metadata = {};
  let end = start;
  let count = 0;
  for (const line of linesOf(content.slice(start))) {
    const match = KEY_VALUE.exec(line.text);
    const field = match && KEYS.get(match[1]!.toLowerCase().replace(/\s+/g, ' '));
    if (count > 0 && SEPARATOR.test(line.text)) {
      end = start + line.end;
      break;
    }
    // Stops at the first line that is not a known key with a value that fits it.
    if (!field || field in metadata || count >= MAX_KEY_VALUE_LINES) break;
    if (!readField(field, match[2], metadata)) break;
    end = start + line.end;
    count++;
  }
  if (count === 0) return null;
  return { form: 'key_value', length: end, metadata };
}

/**
 * Reads the metadata header at the very top of a clipped or exported article, if it has one:
 * YAML front matter (`---` … `---`; unknown keys are ignored) or plain `key: value` lines (only
 * known keys, stopping at the first line that is not one, each value checked against its key:
 * an address for `url:`, a date for `date:`, a name rather than a sentence for `by:`). Known keys
 * become CSL: title/headline → title; url/link/source → URL (a `source:` that is a name is the
 * publisher); date/published → issued; author/authors/by → author; publisher/site → container-title;
 * accessed/clipped → accessed. Null when there is no header, or nothing follows it.
 */
export function readClippingHeader(content: string): ClippingHeader | null {
  const start = /^(?:\uFEFF)?(?:[ \t]*(?:\r\n|\r|\n))*/.exec(content)![0].length;
  const header = readFrontMatter(content, start) ?? readKeyValueLines(content, start);
  // A header introduces an article: text must follow it.
  if (!header || content.slice(header.length).trim() === '') return null;
  return header;
}
