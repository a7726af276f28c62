import type { Block, Inline, Report } from './report.ts';

/**
 * CommonMark with `[^n]` footnotes. Every character of user text that CommonMark gives a meaning
 * (any ASCII punctuation) is backslash-escaped, so a title like `<img onerror=…>` or `# x` stays
 * text; code is fenced with a fence longer than any run of backticks inside it.
 */

const escapeText = (text: string) => text.replace(/\s+/g, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);

const longestRun = (text: string, char: string) =>
  Math.max(0, ...(text.match(new RegExp(`\\${char}+`, 'g')) ?? []).map((run) => run.length));

function codeSpan(text: string): string {
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  return `${fence} ${text.replace(/\s+/g, ' ')} ${fence}`;
}

const destination = (href: string) =>
  href.replace(/[\s<>()\\]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

function inline(part: Inline): string {
  if ('break' in part) return '\\\n';
  if (part.code) return codeSpan(part.text);
  if (!part.text.trim()) return escapeText(part.text);
  let text = escapeText(part.text);
  // Emphasis must not start or end with a space in CommonMark: keep the spaces outside it.
  const lead = /^\s/.test(text) ? ' ' : '';
  const trail = /\s$/.test(text) && text.length > 1 ? ' ' : '';
  text = text.trim();
  if (part.bold) text = `**${text}**`;
  if (part.italic) text = `*${text}*`;
  if (part.strike) text = `~~${text}~~`;
  if (part.href) text = `[${text}](${destination(part.href)})`;
  return `${lead}${text}${trail}`;
}

const inlines = (parts: Inline[]) => parts.map(inline).join('');

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? line : line ? `${' '.repeat(prefix.length)}${line}` : line))
    .join('\n');

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level + 1)} ${escapeText(b.text)}`;
    case 'paragraph':
      return inlines(b.inlines) || '&nbsp;';
    case 'list':
      return b.items
        .map((item, i) => {
          const marker = b.ordered ? `${b.start + i}. ` : '- ';
          return `${marker}${indent(item.map(block).join('\n\n'), marker)}`;
        })
        .join('\n');
    case 'quote':
      return b.blocks
        .map(block)
        .join('\n\n')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'code': {
      const fence = '`'.repeat(Math.max(3, longestRun(b.text, '`') + 1));
      return `${fence}\n${b.text}\n${fence}`;
    }
    case 'rule':
      return '---';
    case 'excerpt': {
      const lines = [`> ${escapeText(b.quote)}[^${b.note}]`];
      if (b.flag) lines.push('>', `> **${escapeText(b.flag)}**`);
      if (b.comment) lines.push('>', `> *${escapeText(b.comment)}*`);
      return lines.join('\n');
    }
    case 'fields':
      return b.rows.map(([label, value]) => `- **${escapeText(label)}:** ${escapeText(value)}`).join('\n');
  }
}

export function renderMarkdown(report: Report): string {
  const banner = [report.marking, report.draft ? 'DRAFT' : null].filter(Boolean).join(' · ');
  const parts: string[] = [];
  if (banner) parts.push(`**${escapeText(banner)}**`);
  parts.push(`# ${escapeText(report.title)}`);
  parts.push(report.cover.map(([label, value]) => `- **${escapeText(label)}:** ${escapeText(value)}`).join('\n'));
  parts.push('## Contents');
  parts.push(
    report.contents
      .map((entry) => `${entry.level === 2 ? '  ' : ''}- [${escapeText(entry.text)}](#${entry.anchor})`)
      .join('\n'),
  );
  parts.push(...report.blocks.map(block));
  parts.push(
    ...report.notes.map(
      (note) =>
        `[^${note.number}]: [${note.sourceNumber}] ${escapeText(note.text)}${note.flag ? ` **${escapeText(note.flag)}**` : ''}`,
    ),
  );
  if (banner) parts.push(`**${escapeText(banner)}**`);
  return `${parts.join('\n\n')}\n`;
}
