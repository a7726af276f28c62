import MarkdownIt from 'markdown-it';
import { parseHtmlDocument } from './dom.ts';
import { htmlToText } from './htmlToText.ts';

// Raw HTML inside Markdown is rendered too, so that the plain-text conversion can drop its scripts
// and tags rather than show them as literal text; nothing is ever executed.
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

/**
 * Markdown as the plain text a reader sees: syntax removed, paragraphs and headings separated by
 * blank lines, list items on their own lines. `title` is the first heading when the text opens with
 * one.
 */
export function markdownToText(source: string): { text: string; title?: string } {
  const tokens = markdown.parse(source, {});
  const first = tokens[0];
  const title =
    first?.type === 'heading_open' && first.tag === 'h1'
      ? tokens[1]?.children?.map((t) => t.content).join('')
      : undefined;
  const document = parseHtmlDocument(
    `<!doctype html><html><body>${markdown.renderer.render(tokens, markdown.options, {})}</body></html>`,
  );
  const text = htmlToText(document.body ?? document.documentElement);
  return title?.trim() ? { text, title: title.trim() } : { text };
}
