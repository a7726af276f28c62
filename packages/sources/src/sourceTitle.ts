import type { CslItem } from './csl.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A CSL date as people read it: "5 Mar 2024", "Mar 2024" or "2024"; empty when unknown. */
export function issuedText(csl: Pick<CslItem, 'issued'>): string {
  const [year, month, day] = csl.issued?.['date-parts'][0] ?? [];
  if (year === undefined) return '';
  const monthName = month === undefined ? undefined : MONTHS[month - 1];
  return [day, monthName, year].filter((part) => part !== undefined).join(' ');
}

export const UNTITLED = 'Untitled source';

/**
 * The name the library shows for a source: its title; when nothing states one, an honest
 * placeholder, never words of the text dressed up as a title: the publisher and date ("Reuters,
 * 5 Mar 2024"), else the file's name, else "Untitled source".
 */
export function sourceTitle(
  csl: Pick<CslItem, 'title' | 'container-title' | 'issued'>,
  fileName?: string | null,
): string {
  const title = csl.title?.replace(/\s+/g, ' ').trim();
  if (title) return title.slice(0, 300);
  const publisher = csl['container-title']?.trim();
  const issued = issuedText(csl);
  if (publisher) return [publisher, issued].filter(Boolean).join(', ');
  if (fileName?.trim()) return fileName.trim().slice(0, 300);
  return issued ? `${UNTITLED}, ${issued}` : UNTITLED;
}
