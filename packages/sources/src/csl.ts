/** The subset of CSL-JSON (citationstyles.org) that Debrief stores for a source. */
export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

export interface CslDate {
  'date-parts': [[number, number?, number?]];
}

export interface CslItem {
  type: 'article-newspaper' | 'webpage' | 'report' | 'document';
  title?: string;
  'container-title'?: string;
  author?: CslName[];
  issued?: CslDate;
  accessed?: CslDate;
  URL?: string;
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
