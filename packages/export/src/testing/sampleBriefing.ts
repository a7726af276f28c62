import { readdirSync, readFileSync } from 'node:fs';
import {
  addAuthor,
  addLesson,
  appendExcerpt,
  type BodyLocation,
  type BriefingStatus,
  briefingToJSON,
  getLessons,
  getSections,
  initBriefing,
  type Marking,
  setEvent,
  setMarking,
  setPeriod,
  setStatus,
  updateLesson,
} from '@debrief/briefing';
import { describeQuote, excerptSelectors, sha256Hex } from '@debrief/sources';
import { prepareSource } from '@debrief/sources/server';
import * as Y from 'yjs';
import type { ExportInput, ExportSource } from '../report.ts';

/**
 * Briefings built from the corpus in ../shared/sources, as a lead would build them: for the export
 * tests, the benchmark (at any size) and the sample exports in docs/exports.
 */

const CORPUS = new URL('../../../../../shared/sources/', import.meta.url);

const PUBLISHED: Record<string, [number, number, number]> = {
  '000': [2024, 3, 5],
  '001': [2024, 3, 5],
  '002': [2024, 3, 2],
  '003': [2022, 3, 8],
};

/** The opening words of an article's first line, past the clipping's date marker. */
function headline(text: string): string {
  const first = text.split('\n')[0]!.replace(/^\s*date \d{4}-\d{2}-\d{2}\s*(\(\w+\)\s*)?/i, '');
  const sentence = first.split(/(?<=[.!?])\s/)[0]!;
  if (sentence.length <= 90) return sentence.replace(/[.]$/, '');
  return `${sentence.slice(0, 90).replace(/\s+\S*$/, '')}…`;
}

/** The corpus's articles imported as Debrief imports them (normalised text, CSL metadata). */
export function corpusSources(): ExportSource[] {
  const names = readdirSync(CORPUS)
    .filter((name) => name.endsWith('.txt'))
    .sort();
  return names.map((name, i) => {
    const draft = prepareSource({
      format: 'text',
      content: readFileSync(new URL(name, CORPUS), 'utf8'),
      accessed: new Date('2026-12-01T09:00:00Z'),
    });
    const url = `https://news.example.org/articles/${name.slice(0, 3)}`;
    return {
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      csl: {
        ...draft.metadata,
        // Some articles state no headline the importer can find: their first line stands in.
        title: draft.metadata.title ?? headline(draft.normalised),
        type: 'article-newspaper',
        URL: url,
        issued: { 'date-parts': [PUBLISHED[name.slice(0, 3)] ?? [2024, 3, 5]] },
      },
      url,
      text: draft.normalised,
      textSha256: sha256Hex(draft.normalised),
    };
  });
}

/** `count` sources: the corpus's, then copies of them under other ids, titles and texts. */
export function manySources(count: number): ExportSource[] {
  const corpus = corpusSources();
  return Array.from({ length: count }, (_, i) => {
    const base = corpus[i % corpus.length]!;
    if (i < corpus.length) return base;
    const text = `${base.text}\nCopy ${i + 1}.`;
    return {
      ...base,
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      // Other reports by other people on other days, as a real briefing's forty sources would be.
      csl: {
        ...base.csl,
        title: `${base.csl.title ?? 'Report'} (${i + 1})`,
        author: [{ family: `Correspondent${i + 1}`, given: 'A.' }],
        issued: { 'date-parts': [[2024, 1 + (i % 12), 1 + (i % 28)]] },
      },
      text,
      textSha256: sha256Hex(text),
    };
  });
}

function writeParagraph(body: Y.XmlFragment, text: string, marks: Record<string, unknown> = {}): void {
  const paragraph = new Y.XmlElement('paragraph');
  body.push([paragraph]);
  const run = new Y.XmlText();
  paragraph.insert(0, [run]);
  run.insert(0, text, marks);
}

/** The `n`th sentence-like passage of a source (lines of 40–240 characters), as an excerpt. */
function passage(source: ExportSource, n: number) {
  const lines: Array<[number, number]> = [];
  let at = 0;
  for (const line of source.text.split('\n')) {
    if (line.length >= 40 && line.length <= 240) lines.push([at, at + line.length]);
    at += line.length + 1;
  }
  const [start, end] = lines[n % lines.length]!;
  return { sourceId: source.id, ...excerptSelectors(describeQuote(source.text, start, end)) };
}

const PROSE =
  'The participants treated the platform as secure because it was certified, but the weakest line into the meeting decided its security. ' +
  'Nobody checked how each participant had joined, and the host had no list of who was on the call.';

export interface SampleOptions {
  title?: string;
  status?: BriefingStatus;
  marking?: Partial<Marking>;
  sources?: ExportSource[];
  /** Excerpts in all (spread over sections and lessons). */
  excerpts?: number;
  /** Paragraphs of prose in all. */
  paragraphs?: number;
  lessons?: number;
  /** Adds an excerpt whose quote is in no source: an orphan, to be flagged. */
  orphan?: boolean;
  comments?: boolean;
}

/** A lessons-learned briefing on secure-communications failures, and the export input for it. */
export function sampleBriefing(options: SampleOptions = {}): { doc: Y.Doc; input: ExportInput } {
  const sources = options.sources ?? corpusSources();
  const doc = new Y.Doc();
  initBriefing(doc, { title: options.title ?? 'Secure communications failures: lessons identified' });
  setMarking(doc, { classification: 'UNCLASSIFIED', tlp: 'TLP:GREEN', ...options.marking });
  setEvent(doc, 'Luftwaffe Webex intercept (2024) and Era cryptophone failure (2022)');
  setPeriod(doc, { start: '2022-03-01', end: '2024-03-05' });
  addAuthor(doc, 'Maj. A. Lead');
  addAuthor(doc, 'Capt. B. Editor');
  const lessonCount = options.lessons ?? 2;
  const titles = [
    'Dial-in from an unsecured line defeats a certified platform',
    'Secure systems that depend on civilian networks fail when those networks are destroyed',
  ];
  // The template starts with one empty lesson: it becomes the first.
  const ids = getLessons(doc).map((lesson) => lesson.id);
  for (let i = 0; i < lessonCount; i++) {
    const id = ids[i] ?? addLesson(doc);
    updateLesson(doc, id, {
      title: titles[i % titles.length]! + (i >= titles.length ? ` (${i + 1})` : ''),
      capabilityArea: i % 2 === 0 ? 'training' : 'materiel',
      status: 'lesson_identified',
      actionBody: i % 2 === 0 ? 'Joint Communications Directorate' : 'Capability Development Command',
      owner: i % 2 === 0 ? 'J6' : 'Director Materiel',
      dueDate: '2025-06-30',
    });
  }
  const locations: Array<{ location: BodyLocation; body: Y.XmlFragment }> = [
    ...getSections(doc).map((s) => ({ location: { kind: 'section', sectionId: s.id } as BodyLocation, body: s.body })),
    ...getLessons(doc).flatMap((lesson) =>
      (['observation', 'discussion', 'conclusion', 'recommendation'] as const).map((field) => ({
        location: { kind: 'lesson', lessonId: lesson.id, field } as BodyLocation,
        body: lesson.bodies[field],
      })),
    ),
  ];
  const paragraphs = options.paragraphs ?? locations.length;
  const excerpts = options.excerpts ?? 8;
  const steps = Math.max(paragraphs, excerpts);
  for (let i = 0; i < steps; i++) {
    const { location, body } = locations[i % locations.length]!;
    if (i < paragraphs)
      writeParagraph(body, i === 0 ? `Bottom line up front: ${PROSE}` : PROSE, i % 7 === 3 ? { bold: {} } : {});
    if (i < excerpts)
      appendExcerpt(doc, location, passage(sources[i % sources.length]!, Math.floor(i / sources.length)));
  }
  if (options.orphan) {
    const exact = 'The secure line was never used by anyone on the call.';
    appendExcerpt(doc, locations[0]!.location, {
      sourceId: sources[0]!.id,
      exact,
      start: 0,
      end: exact.length,
      quoteSha256: sha256Hex(exact),
    });
  }
  if (options.status) setStatus(doc, options.status);
  const briefing = briefingToJSON(doc);
  return {
    doc,
    input: {
      briefing,
      sources,
      options: { style: 'chicago', comments: options.comments ?? false },
      exportedAt: '2026-12-07T04:00:00.000Z',
      versionLabel: null,
    },
  };
}
