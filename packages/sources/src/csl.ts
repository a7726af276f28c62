import { z } from 'zod';
import { knownPublisher } from './publishers.ts';

/**
 * The subset of CSL-JSON (citationstyles.org) that Debrief stores for a source, as zod schemas
 * with the types inferred from them: the API validates with these, so the contract is written once.
 */
export const CSL_TYPES = ['article-newspaper', 'webpage', 'report', 'document'] as const;

export const CslNameSchema = z.object({
  family: z.string().max(200).optional(),
  given: z.string().max(200).optional(),
  literal: z.string().max(300).optional(),
});
export type CslName = z.infer<typeof CslNameSchema>;

/** A date as CSL writes it: [[year, month?, day?]], or two such parts for a range. */
export const CslDateSchema = z.object({
  'date-parts': z.array(z.array(z.number().int()).min(1).max(3)).min(1).max(2),
});
export type CslDate = z.infer<typeof CslDateSchema>;

export const CslItemSchema = z.object({
  type: z.enum(CSL_TYPES),
  title: z.string().optional(),
  'container-title': z.string().optional(),
  author: z.array(CslNameSchema).optional(),
  issued: CslDateSchema.optional(),
  accessed: CslDateSchema.optional(),
  URL: z.string().optional(),
});
export type CslItem = z.infer<typeof CslItemSchema>;

/** Corrections to a source's metadata: each field to change; null removes it. */
export const CslPatchSchema = z.object({
  type: z.enum(CSL_TYPES).optional(),
  title: z.string().trim().max(300).nullable().optional(),
  'container-title': z.string().trim().max(300).nullable().optional(),
  author: z.array(CslNameSchema).max(50).nullable().optional(),
  issued: CslDateSchema.nullable().optional(),
  accessed: CslDateSchema.nullable().optional(),
  URL: z.string().url().max(2000).nullable().optional(),
});
export type CslPatch = z.infer<typeof CslPatchSchema>;

/** The item with `patch` applied: a field set to null (or an empty string) is removed. */
export function mergeMetadata(base: CslItem, patch: CslPatch | undefined): CslItem {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null || value === '') delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as CslItem;
}

const ISO_DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?/;

/**
 * Reads the calendar date written at the start of an ISO 8601 string ("2024-03-02T23:10:00-05:00" is
 * 2 March 2024): the date the publisher printed, not that instant converted to UTC.
 */
export function cslDateFromIso(value: string): CslDate | undefined {
  const match = ISO_DATE.exec(value.trim());
  if (!match) return undefined;
  return cslDate(Number(match[1]), Number(match[2]), match[3] === undefined ? undefined : Number(match[3]));
}

export function cslDate(year: number, month?: number, day?: number): CslDate | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return undefined;
  if (month === undefined) return { 'date-parts': [[year]] };
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (day === undefined) return { 'date-parts': [[year, month]] };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth) return undefined;
  return { 'date-parts': [[year, month, day]] };
}

export function cslDateFromInstant(instant: Date): CslDate {
  return { 'date-parts': [[instant.getUTCFullYear(), instant.getUTCMonth() + 1, instant.getUTCDate()]] };
}

/**
 * The publisher an address names by its host ("www.reuters.com" is Reuters, "example.org" is
 * example.org): what a citation can say when nothing else names the publisher.
 */
export function publisherFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (host === '' || /^[\d.]+$|:/.test(host)) return undefined;
  const bare = host.replace(/^(?:www\d*|m|amp|edition|mobile)\./, '');
  const label = bare.split('.').at(-2) ?? bare;
  return knownPublisher(label) ?? knownPublisher(bare) ?? bare;
}

const NAME_PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'le',
  'la',
  'bin',
  'al',
  'ter',
  'ten',
]);
const PERSON_WORD = /^\p{Lu}[\p{L}\p{M}'’.-]*$/u;

/**
 * Splits "Bojan Pancevski" into given and family names. Anything that does not look like a
 * personal name (an organisation, a desk, a single word) is kept whole as a literal name, which
 * citation styles print as written.
 */
export function cslNameFromString(value: string): CslName | undefined {
  const name = value.replace(/\s+/g, ' ').trim();
  if (name === '') return undefined;
  const words = name.split(' ');
  const looksPersonal =
    words.length >= 2 &&
    words.length <= 5 &&
    words.every((word) => PERSON_WORD.test(word) || NAME_PARTICLES.has(word.toLowerCase()));
  if (!looksPersonal) return { literal: name };
  let familyStart = words.length - 1;
  while (familyStart > 1 && NAME_PARTICLES.has(words[familyStart - 1]!.toLowerCase())) familyStart--;
  return { given: words.slice(0, familyStart).join(' '), family: words.slice(familyStart).join(' ') };
}
