// Horizontal whitespace that copy-paste from web pages brings: tabs, no-break and typographic spaces.
const HORIZONTAL_SPACE = /[ \t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;
const LINE_BREAK = /\r\n?|[\u0085\u2028\u2029]/g;

/**
 * The canonical form of a source's text, which every offset and quote refers to: Unicode NFC,
 * `\n` line breaks, runs of spaces and tabs collapsed to one space, no trailing spaces on a line,
 * at most one blank line between paragraphs, no leading or trailing whitespace.
 * Idempotent: normalising normalised text changes nothing.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/^\ufeff/, '')
    .replace(LINE_BREAK, '\n')
    .replace(HORIZONTAL_SPACE, ' ')
    .replace(/ +$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
