import type { CslMetadata, MetadataPatch } from '../api.ts';
import { issuedIso } from './cslText.ts';

type CslName = NonNullable<CslMetadata['author']>[number];

/** A source's citation metadata as a person edits it: plain strings, one per form field. */
export interface MetadataFields {
  title: string;
  publisher: string;
  /** "Given Family; Given Family" */
  authors: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD */
  issued: string;
  url: string;
}

export type FieldErrors = Partial<Record<keyof MetadataFields, string>>;

const nameText = (name: CslName): string =>
  name.literal ?? [name.given, name.family].filter((part) => part?.trim()).join(' ');

export function fieldsFromCsl(csl: CslMetadata): MetadataFields {
  return {
    title: csl.title ?? '',
    publisher: csl['container-title'] ?? '',
    authors: (csl.author ?? []).map(nameText).join('; '),
    issued: issuedIso(csl) ?? '',
    url: csl.URL ?? '',
  };
}

/**
 * "Given Family" becomes a personal name; a single word (an agency, a desk) stays whole. A name
 * the person left as it was keeps its original structure, so "Associated Press" stored as a
 * literal is not turned into Mr Press.
 */
function parseAuthors(text: string, previous: CslName[]): CslName[] {
  const known = new Map(previous.map((name) => [nameText(name), name]));
  return text
    .split(';')
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((part) => {
      const same = known.get(part);
      if (same) return same;
      const words = part.split(' ');
      if (words.length < 2) return { literal: part };
      return { given: words.slice(0, -1).join(' '), family: words.at(-1)! };
    });
}

function parseDate(text: string): { 'date-parts': number[][] } | null | 'invalid' {
  if (text === '') return null;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!match) return 'invalid';
  const parts = match
    .slice(1)
    .filter((part) => part !== undefined)
    .map(Number);
  const [year, month, day] = parts as [number, number?, number?];
  if (month !== undefined && (month < 1 || month > 12)) return 'invalid';
  if (day !== undefined && month !== undefined) {
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > daysInMonth) return 'invalid';
  }
  return { 'date-parts': [parts] };
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/**
 * The corrections a person made, as the API's metadata patch: only fields that differ from
 * `original`, an emptied field as null (which removes it). Invalid fields are reported instead.
 */
export function metadataPatch(
  fields: MetadataFields,
  original: CslMetadata,
): { patch: MetadataPatch; errors: FieldErrors } {
  const before = fieldsFromCsl(original);
  const clean = (value: string) => value.replace(/\s+/g, ' ').trim();
  const patch: MetadataPatch = {};
  const errors: FieldErrors = {};
  const changed = (key: keyof MetadataFields) => clean(fields[key]) !== clean(before[key]);

  if (changed('title')) patch.title = clean(fields.title) || null;
  if (changed('publisher')) patch['container-title'] = clean(fields.publisher) || null;
  if (changed('authors')) {
    const authors = parseAuthors(fields.authors, original.author ?? []);
    patch.author = authors.length > 0 ? authors : null;
  }
  if (changed('issued')) {
    const issued = parseDate(clean(fields.issued));
    if (issued === 'invalid') errors.issued = 'Write the date as YYYY-MM-DD (or YYYY-MM, or YYYY).';
    else patch.issued = issued;
  }
  if (changed('url')) {
    const url = clean(fields.url);
    if (url && !isHttpUrl(url)) errors.url = 'Enter a full web address starting with https://';
    else patch.URL = url || null;
  }
  return { patch, errors };
}
