import type { CslMetadata } from '../api.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A CSL date as people read it: "5 Mar 2024", "Mar 2024" or "2024"; empty when unknown. */
export function issuedText(csl: CslMetadata): string {
  const [year, month, day] = csl.issued?.['date-parts'][0] ?? [];
  if (year === undefined) return '';
  const monthName = month === undefined ? undefined : MONTHS[month - 1];
  return [day, monthName, year].filter((part) => part !== undefined).join(' ');
}

/** The machine form of the same date, for `<time datetime>`. */
export function issuedIso(csl: CslMetadata): string | undefined {
  const parts = csl.issued?.['date-parts'][0];
  return parts?.map((part, index) => (index === 0 ? String(part) : String(part).padStart(2, '0'))).join('-');
}
