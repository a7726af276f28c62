import { sha256Hex } from '@debrief/sources';
import markdownIt from 'markdown-it';
import footnote from 'markdown-it-footnote';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { warmCitations } from './citations.ts';
import { ExportError } from './ExportError.ts';
import { exportBriefing } from './exportBriefing.ts';
import { ExportJSONSchema } from './json.ts';
import { buildReport, type ExportInput } from './report.ts';
import { docxToPdf, folded, pdfPages, readerMissing } from './testing/readers.ts';
import { sampleBriefing } from './testing/sampleBriefing.ts';

const HOSTILE_TITLE = '<img src=x onerror=alert(1)>';
const ORPHAN = 'The secure line was never used by anyone on the call.';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A draft briefing from the corpus with a hostile title and one orphaned excerpt. */
function draftInput(): ExportInput {
  return sampleBriefing({ title: HOSTILE_TITLE, orphan: true, excerpts: 10 }).input;
}

const quotesOf = (input: ExportInput) => input.briefing.excerpts.map((e) => e.exact);

beforeAll(() => warmCitations(), 60_000);

describe('the report every format renders', () => {
  it('numbers one note per excerpt in reading order and flags the orphan, and only it', () => {
    const input = draftInput();
    const report = buildReport(input);
    expect(report.notes.map((n) => n.number)).toEqual(input.briefing.excerpts.map((_, i) => i + 1));
    const flagged = report.excerpts.filter((e) => e.flagged);
    expect(flagged.map((e) => e.exact)).toEqual([ORPHAN]);
    expect(flagged[0]!.status).toBe('orphaned');
  });

  it('refuses a node it does not know rather than leave it out', () => {
    const input = draftInput();
    const section = input.briefing.sections[0]!;
    section.body = { type: 'doc', content: [{ type: 'mathBlock', content: [{ type: 'text', text: 'x' }] }] };
    expect(() => buildReport(input)).toThrow(ExportError);
    expect(() => buildReport(input)).toThrow(/content of type "mathBlock"/);
  });

  it('formats the bibliography in Chicago by default and APA when asked', () => {
    const input = draftInput();
    const chicago = buildReport(input).bibliography.join('\n');
    const apa = buildReport({ ...input, options: { ...input.options, style: 'apa' } }).bibliography.join('\n');
    expect(chicago).toContain('Pancevski, Bojan. “Russian Tape of Secret German Meeting');
    expect(apa).toContain('Pancevski, B. (2024, March 2).');
  });
});

describe('Markdown, read by a CommonMark parser with footnotes', () => {
  it('defines every footnote it references, keeps the hostile title as text, flags the orphan', async () => {
    const input = draftInput();
    const text = decode(await exportBriefing(input, 'markdown'));
    const md = markdownIt({ html: true }).use(footnote);
    const env: { footnotes?: { list?: unknown[] } } = {};
    const tokens = md.parse(text, env);
    const refs = tokens.flatMap((t) => t.children ?? []).filter((t) => t.type === 'footnote_ref');
    expect(refs).toHaveLength(input.briefing.excerpts.length);
    expect(env.footnotes?.list).toHaveLength(input.briefing.excerpts.length);
    const html = md.render(text);
    expect(html).not.toContain('[^');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const plain = folded(
      html
        .replace(/<[^>]+>/g, ' ')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    );
    for (const quote of quotesOf(input)) expect(plain).toContain(folded(quote));
    expect(plain).toContain('INTEGRITY WARNING (orphaned)');
    // The marking at the top and at the bottom.
    const body = html.split('<hr class="footnotes-sep">')[0]!;
    const paragraphs = [...body.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]);
    expect(paragraphs[0]).toBe('<strong>UNCLASSIFIED // TLP:GREEN · DRAFT</strong>');
    expect(paragraphs.at(-1)).toBe('<strong>UNCLASSIFIED // TLP:GREEN · DRAFT</strong>');
  });
});

type Node = DefaultTreeAdapterMap['node'];
const walk = (node: Node, visit: (n: Node) => void) => {
  visit(node);
  for (const child of 'childNodes' in node ? node.childNodes : []) walk(child, visit);
  if ('content' in node && node.content) walk(node.content as Node, visit);
};
const textOf = (node: Node): string =>
  'value' in node && node.nodeName === '#text'
    ? String(node.value)
    : ('childNodes' in node ? node.childNodes : []).map(textOf).join('');

describe('HTML, read by a real parser (parse5)', () => {
  it('has no script and no event handler, keeps the hostile title as text, flags the orphan', async () => {
    const input = draftInput();
    const document = parse(decode(await exportBriefing(input, 'html')));
    const elements: Array<Extract<Node, { tagName: string }>> = [];
    walk(document, (n) => {
      if ('tagName' in n) elements.push(n);
    });
    expect(elements.filter((e) => e.tagName === 'script')).toEqual([]);
    expect(elements.filter((e) => e.tagName === 'img')).toEqual([]);
    expect(elements.flatMap((e) => e.attrs.filter((a) => /^on/i.test(a.name)))).toEqual([]);
    // Self-contained: nothing is loaded from elsewhere.
    expect(elements.flatMap((e) => e.attrs.filter((a) => a.name === 'src'))).toEqual([]);
    expect(elements.filter((e) => e.tagName === 'link')).toEqual([]);
    const title = elements.find((e) => e.tagName === 'title')!;
    expect(textOf(title)).toBe(HOSTILE_TITLE);
    const body = folded(textOf(elements.find((e) => e.tagName === 'body')!));
    for (const quote of quotesOf(input)) expect(body).toContain(folded(quote));
    const flagged = elements.filter((e) => e.attrs.some((a) => a.name === 'class' && a.value.includes('flagged')));
    expect(flagged).toHaveLength(1);
    expect(folded(textOf(flagged[0]!))).toContain(ORPHAN);
    expect(folded(textOf(flagged[0]!))).toContain('INTEGRITY WARNING (orphaned)');
    const banners = elements.filter((e) => e.attrs.some((a) => a.name === 'class' && a.value === 'banner'));
    expect(banners.map((b) => folded(textOf(b)))).toEqual([
      'UNCLASSIFIED // TLP:GREEN · DRAFT',
      'UNCLASSIFIED // TLP:GREEN · DRAFT',
    ]);
  });
});

describe('JSON, validated against its zod schema', () => {
  it('carries the briefing, CSL-JSON references and each excerpt’s selectors, hash and status', async () => {
    const input = draftInput();
    const json = ExportJSONSchema.parse(JSON.parse(decode(await exportBriefing(input, 'json'))));
    expect(json.briefing.title).toBe(HOSTILE_TITLE);
    expect(json.references.map((r) => r.id)).toEqual(input.sources.map((s) => s.id));
    expect(json.excerpts).toHaveLength(input.briefing.excerpts.length);
    const orphan = json.excerpts.find((e) => e.selectors[0].exact === ORPHAN)!;
    expect(orphan).toMatchObject({ status: 'orphaned', flagged: true });
    expect(json.excerpts.filter((e) => e.flagged)).toHaveLength(1);
    // Each appendix entry carries the SHA-256 of the text its source holds, not merely a hash.
    const texts = new Map(input.sources.map((s) => [s.id, s.text]));
    expect(json.appendix.length).toBeGreaterThan(0);
    for (const entry of json.appendix) expect(entry.textSha256).toBe(sha256Hex(texts.get(entry.sourceId)!));
  });
});

/** What every page-based format must show, checked on the text a reader extracted per page. */
function expectPages(pages: string[], input: ExportInput, marking: string) {
  expect(pages.length).toBeGreaterThan(1);
  pages.forEach((page, i) => {
    expect(folded(page), `page ${i + 1} of ${pages.length}`).toContain(marking);
  });
  const all = folded(pages.join('\n'));
  // Each quote with its note number right after it, and each note's text.
  for (const [i, excerpt] of input.briefing.excerpts.entries()) {
    expect(all).toMatch(new RegExp(`${escapeRegExp(folded(excerpt.exact))} ?${i + 1}\\b`));
  }
  for (const source of input.sources)
    expect(all).toContain(`[${input.briefing.excerpts.find((e) => e.sourceId === source.id)?.citationNumber}]`);
  expect(all).toContain('Bibliography');
  expect(all).toContain('Pancevski, Bojan. “Russian Tape of Secret German Meeting');
  expect(all).toContain('INTEGRITY WARNING (orphaned)');
  expect(all).toContain(HOSTILE_TITLE);
  for (const source of input.sources) expect(all).toContain(source.textSha256);
}

const pdfMissing = readerMissing('pdftotext', 'pdfinfo');
describe.skipIf(pdfMissing !== null)('PDF, read by pdftotext page by page', () => {
  it('has the marking and DRAFT on every page, every quote, citation number, the bibliography and the flag', async () => {
    const input = draftInput();
    const pages = pdfPages(await exportBriefing(input, 'pdf'));
    expectPages(pages, input, 'UNCLASSIFIED // TLP:GREEN · DRAFT');
    for (const [i, page] of pages.entries()) expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
  });

  it('drops DRAFT once the briefing is final', async () => {
    const { input } = sampleBriefing({ status: 'final', marking: { classification: 'CUI', tlp: 'TLP:AMBER+STRICT' } });
    const pages = pdfPages(await exportBriefing(input, 'pdf'));
    for (const page of pages) {
      expect(folded(page)).toContain('CUI // TLP:AMBER+STRICT');
      expect(page).not.toContain('DRAFT');
    }
  });
});

const docxMissing = readerMissing('libreoffice', 'pdftotext', 'pdfinfo');
describe.skipIf(docxMissing !== null)('DOCX, opened by LibreOffice', () => {
  it('has the marking and DRAFT on every page, every quote, its footnote, the bibliography and the flag', async () => {
    const input = draftInput();
    const pages = pdfPages(docxToPdf(await exportBriefing(input, 'docx')));
    expectPages(pages, input, 'UNCLASSIFIED // TLP:GREEN · DRAFT');
  }, 180_000);
});
