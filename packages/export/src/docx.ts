import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  FootnoteReferenceRun,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Block, Inline, Report } from './report.ts';

/**
 * DOCX through `docx`: the marking and DRAFT in the header and footer of every page with "page N
 * of M", real footnotes for citations, and a table-of-contents field that Word fills in when the
 * file opens (`updateFields`).
 */

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];
const RED = 'B00020';

function run(part: Inline): ParagraphChild {
  if ('break' in part) return new TextRun({ text: '', break: 1 });
  const text = new TextRun({
    text: part.text,
    bold: part.bold ?? false,
    italics: part.italic ?? false,
    strike: part.strike ?? false,
    ...(part.underline || part.href ? { underline: {} } : {}),
    ...(part.code ? { font: 'Courier New' } : {}),
    ...(part.href ? { style: 'Hyperlink' } : {}),
  });
  return part.href ? new ExternalHyperlink({ link: part.href, children: [text] }) : text;
}

const QUOTE = {
  indent: { left: 720 },
  border: { left: { style: BorderStyle.SINGLE, size: 12, color: '888888', space: 8 } },
};

function fieldsTable(rows: Array<[string, string]>): Table {
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: rows.map(
      ([label, value]) =>
        new TableRow({
          children: [
            new TableCell({
              width: { size: 28, type: WidthType.PERCENTAGE },
              children: [new Paragraph({ children: [new TextRun({ text: label, bold: true })] })],
            }),
            new TableCell({ children: [new Paragraph(value)] }),
          ],
        }),
    ),
  });
}

function blocks(list: Block[], depth = 0): Array<Paragraph | Table> {
  return list.flatMap((b) => block(b, depth));
}

function block(b: Block, depth: number): Array<Paragraph | Table> {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[b.level - 1]!, children: [new TextRun(b.text)] })];
    case 'paragraph':
      return [new Paragraph({ children: b.inlines.map(run) })];
    case 'list':
      return b.items.flatMap((item, i) => {
        const marker = new TextRun(b.ordered ? `${b.start + i}. ` : '• ');
        const indent = { left: 360 * (depth + 1), hanging: 360 };
        const [first, ...rest] = item;
        // The item's first paragraph carries the marker; anything else follows it indented.
        const lead = new Paragraph({
          indent,
          children: [marker, ...(first?.kind === 'paragraph' ? first.inlines.map(run) : [])],
        });
        return [lead, ...blocks(first?.kind === 'paragraph' ? rest : item, depth + 1)];
      });
    case 'quote':
      return b.blocks.flatMap((inner) =>
        inner.kind === 'paragraph'
          ? [new Paragraph({ ...QUOTE, children: inner.inlines.map(run) })]
          : block(inner, depth),
      );
    case 'code':
      return b.text
        .split('\n')
        .map((line) => new Paragraph({ children: [new TextRun({ text: line, font: 'Courier New' })] }));
    case 'rule':
      return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } } })];
    case 'excerpt':
      return [
        new Paragraph({
          ...QUOTE,
          ...(b.flag ? { border: { left: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 8 } } } : {}),
          children: [new TextRun({ text: b.quote, italics: true }), new FootnoteReferenceRun(b.note)],
        }),
        ...(b.flag
          ? [new Paragraph({ ...QUOTE, children: [new TextRun({ text: b.flag, bold: true, color: RED })] })]
          : []),
        ...(b.comment ? [new Paragraph({ ...QUOTE, children: [new TextRun(b.comment)] })] : []),
      ];
    case 'fields':
      return [fieldsTable(b.rows)];
  }
}

function bannerParagraph(banner: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: banner, bold: true })] });
}

export async function renderDocx(report: Report): Promise<Uint8Array> {
  const banner = [report.marking, report.draft ? 'DRAFT' : null].filter(Boolean).join(' · ');
  const footnotes = Object.fromEntries(
    report.notes.map((note) => [
      note.number,
      {
        children: [
          new Paragraph({
            children: [
              new TextRun(`[${note.sourceNumber}] ${note.text}`),
              ...(note.flag ? [new TextRun({ text: ` ${note.flag}`, bold: true, color: RED })] : []),
            ],
          }),
        ],
      },
    ]),
  );
  const document = new Document({
    title: report.title,
    features: { updateFields: true },
    styles: {
      default: { document: { run: { font: 'Source Sans 3', size: 21 }, paragraph: { spacing: { after: 120 } } } },
    },
    footnotes,
    sections: [
      {
        headers: { default: new Header({ children: [bannerParagraph(banner)] }) },
        footers: {
          default: new Footer({
            children: [
              bannerParagraph(banner),
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(report.title)] }),
          fieldsTable(report.cover),
          new TableOfContents('Contents', { hyperlink: true, headingStyleRange: '1-2' }),
          new Paragraph({ pageBreakBefore: true }),
          ...blocks(report.blocks),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
