import type { Block, Inline, Report } from './report.ts';

/**
 * One self-contained HTML file: inline CSS, no script, no external resource. Built as a tree of
 * elements whose text and attribute values are always escaped: no user text is ever markup.
 */

/** `raw` is for the report's own CSS only, never for user text. */
type Child = Element | string | { raw: string };
interface Element {
  tag: string;
  attrs: Record<string, string>;
  children: Child[];
}

const el = (tag: string, attrs: Record<string, string> = {}, ...children: Child[]): Element => ({
  tag,
  attrs,
  children,
});

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const VOID = new Set(['br', 'hr', 'meta']);

function serialise(node: Child): string {
  if (typeof node === 'string') return escapeHtml(node);
  if ('raw' in node) return node.raw;
  const attrs = Object.entries(node.attrs)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  if (VOID.has(node.tag)) return `<${node.tag}${attrs}>`;
  return `<${node.tag}${attrs}>${node.children.map(serialise).join('')}</${node.tag}>`;
}

const CSS = `
body{font-family:"Source Sans 3","Source Sans Pro",Arial,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;line-height:1.5;color:#111}
.banner{text-align:center;font-weight:700;letter-spacing:.05em;padding:.25rem;border:2px solid #111;margin:.5rem 0}
.draft{color:#b00020}
h1,h2,h3,h4,h5{font-family:"Source Serif 4",Georgia,serif;line-height:1.25}
blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:4px solid #888;background:#f6f6f6}
blockquote.excerpt.flagged{border-left-color:#b00020;background:#fff0f0}
.flag{color:#b00020;font-weight:700}
table.fields{border-collapse:collapse;margin:.5rem 0}
table.fields th{text-align:left;padding-right:1rem;font-weight:600;vertical-align:top}
table.fields td{word-break:break-all}
.cover{border-bottom:1px solid #ccc;margin-bottom:1rem}
.notes{font-size:.9rem;border-top:1px solid #ccc;margin-top:2rem}
`;

function inline(part: Inline): Child {
  if ('break' in part) return el('br');
  let node: Child = part.text;
  if (part.code) node = el('code', {}, node);
  if (part.bold) node = el('strong', {}, node);
  if (part.italic) node = el('em', {}, node);
  if (part.underline) node = el('u', {}, node);
  if (part.strike) node = el('s', {}, node);
  if (part.href) node = el('a', { href: part.href }, node);
  return node;
}

const fields = (rows: Array<[string, string]>) =>
  el(
    'table',
    { class: 'fields' },
    ...rows.map(([label, value]) => el('tr', {}, el('th', {}, label), el('td', {}, value))),
  );

function block(b: Block): Element {
  switch (b.kind) {
    case 'heading':
      return el(`h${b.level + 1}`, { id: b.anchor }, b.text);
    case 'paragraph':
      return el('p', {}, ...b.inlines.map(inline));
    case 'list':
      return el(
        b.ordered ? 'ol' : 'ul',
        b.ordered && b.start !== 1 ? { start: String(b.start) } : {},
        ...b.items.map((item) => el('li', {}, ...item.map(block))),
      );
    case 'quote':
      return el('blockquote', {}, ...b.blocks.map(block));
    case 'code':
      return el('pre', {}, el('code', {}, b.text));
    case 'rule':
      return el('hr');
    case 'excerpt':
      return el(
        'blockquote',
        { class: b.flag ? 'excerpt flagged' : 'excerpt', id: `excerpt-${b.note}` },
        el('p', {}, b.quote, el('sup', {}, el('a', { href: `#note-${b.note}`, id: `ref-${b.note}` }, String(b.note)))),
        ...(b.flag ? [el('p', { class: 'flag' }, b.flag)] : []),
        ...(b.comment ? [el('p', {}, el('em', {}, b.comment))] : []),
      );
    case 'fields':
      return fields(b.rows);
  }
}

export function renderHtml(report: Report): string {
  const banner = () =>
    el(
      'div',
      { class: 'banner' },
      report.marking ?? '',
      ...(report.draft ? [report.marking ? ' · ' : '', el('span', { class: 'draft' }, 'DRAFT')] : []),
    );
  const showBanner = report.marking !== null || report.draft;
  const html = el(
    'html',
    { lang: 'en' },
    el(
      'head',
      {},
      el('meta', { charset: 'utf-8' }),
      el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      el('title', {}, report.title),
      el('style', {}, { raw: CSS }),
    ),
    el(
      'body',
      {},
      ...(showBanner ? [el('header', {}, banner())] : []),
      el('section', { class: 'cover' }, el('h1', {}, report.title), fields(report.cover)),
      el(
        'nav',
        {},
        el('h2', {}, 'Contents'),
        el(
          'ul',
          {},
          ...report.contents.map((entry) =>
            el('li', { class: `toc-${entry.level}` }, el('a', { href: `#${entry.anchor}` }, entry.text)),
          ),
        ),
      ),
      el('main', {}, ...report.blocks.map(block)),
      el(
        'section',
        { class: 'notes' },
        el('h2', {}, 'Notes'),
        el(
          'ol',
          {},
          ...report.notes.map((note) =>
            el(
              'li',
              { id: `note-${note.number}` },
              `[${note.sourceNumber}] ${note.text} `,
              ...(note.flag ? [el('span', { class: 'flag' }, note.flag), ' '] : []),
              el('a', { href: `#ref-${note.number}` }, '↩'),
            ),
          ),
        ),
      ),
      ...(showBanner ? [el('footer', {}, banner())] : []),
    ),
  );
  return `<!DOCTYPE html>\n${serialise(html)}\n`;
}
