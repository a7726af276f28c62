import { type DomNode, isElement, TEXT_NODE } from './dom.ts';

/** Elements whose content is never text for a reader. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'canvas',
  'head',
  'button',
  'select',
  'textarea',
]);

/** Elements that stand as paragraphs: a blank line before and after. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'dialog',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'ul',
]);

/** Elements that start a new line without a blank line. */
const LINES = new Set(['br', 'dd', 'dt', 'li', 'tr', 'caption']);

class PlainTextBuilder {
  private readonly parts: string[] = [];
  private pendingBreaks = 0;

  lineBreak(count: 1 | 2): void {
    this.pendingBreaks = Math.max(this.pendingBreaks, count);
  }

  append(text: string): void {
    const previous = this.parts.at(-1);
    const atLineStart = previous === undefined || previous.endsWith('\n') || this.pendingBreaks > 0;
    const chunk = atLineStart ? text.replace(/^ +/, '') : text;
    if (chunk === '') return;
    if (this.pendingBreaks > 0 && previous !== undefined) {
      this.parts[this.parts.length - 1] = previous.replace(/ +$/, '');
      this.parts.push('\n'.repeat(this.pendingBreaks));
    }
    this.pendingBreaks = 0;
    this.parts.push(chunk);
  }

  toString(): string {
    return this.parts.join('');
  }
}

function walk(node: DomNode, builder: PlainTextBuilder, inPre: boolean, listIndex: { value: number } | null): void {
  if (node.nodeType === TEXT_NODE) {
    const text = node.textContent ?? '';
    builder.append(inPre ? text : text.replace(/[ \t\n\r\f]+/g, ' '));
    return;
  }
  if (!isElement(node)) return;
  const name = node.localName.toLowerCase();
  if (SKIPPED.has(name) || node.hasAttribute('hidden')) return;
  if (name === 'br') {
    builder.lineBreak(1);
    return;
  }
  const breaks = BLOCKS.has(name) ? 2 : LINES.has(name) ? 1 : 0;
  if (breaks) builder.lineBreak(breaks);
  if (name === 'li') {
    builder.append(listIndex ? `${++listIndex.value}. ` : '• ');
  } else if (name === 'td' || name === 'th') {
    builder.append(' ');
  }
  const childIndex = name === 'ol' ? { value: 0 } : name === 'ul' ? null : listIndex;
  for (const child of node.childNodes) walk(child, builder, inPre || name === 'pre', childIndex);
  if (breaks) builder.lineBreak(breaks);
}

/**
 * The text a reader sees in `root`, with paragraphs (block elements) separated by blank lines, list
 * items and `<br>` on their own lines, and no script, style or form content. Not yet normalised.
 */
export function htmlToText(root: DomNode): string {
  const builder = new PlainTextBuilder();
  walk(root, builder, false, null);
  return builder.toString();
}
