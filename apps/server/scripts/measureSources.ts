/**
 * Figures for docs/sources.md, measured on this machine through the real server (PGlite in memory,
 * extraction in its worker pool, the HTTP API):
 * - importing a 50-page PDF: upload preview (extraction) and save (extraction again, as the API does);
 * - the corroboration check of a briefing quoting 50 passages against a library of 200 sources,
 *   the first time (every source indexed) and again (index warm).
 * Run: node --import tsx apps/server/scripts/measureSources.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendExcerpt, getExcerpts, getSections } from '@debrief/briefing';
import { describeQuote, excerptSelectors } from '@debrief/sources';
import { makePdf } from '@debrief/sources/testing';
import {
  authFetch,
  connectClient,
  createBriefing,
  createSource,
  getJson,
  postJson,
  SAMPLE_SOURCES_DIR,
  startTestServer,
  waitFor,
} from '../src/testing.ts';

const ms = (since: number) => Math.round(performance.now() - since);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const corpus = readFileSync(join(SAMPLE_SOURCES_DIR, '002_bbfc05d1effc9bd0.txt'), 'utf8')
  .split(/\n+/)
  .concat(readFileSync(join(SAMPLE_SOURCES_DIR, '003_bf3c4a421ac649b4.txt'), 'utf8').split(/\n+/))
  .map((line) => line.trim())
  .filter((line) => line.split(' ').length >= 12);

/** Deterministic pseudo-random numbers, so every run measures the same library. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const server = await startTestServer({ LOG_LEVEL: 'silent' });
try {
  // 1. A 50-page PDF of report prose (about 450 words a page).
  const pages = Array.from({ length: 50 }, (_, page) => ({
    heading: `Section ${page + 1}`,
    paragraphs: Array.from({ length: 4 }, (_, index) => corpus[(page * 4 + index) % corpus.length]!),
  }));
  const pdf = await makePdf(pages, { title: 'Fifty-page report', author: 'Jane Doe' });
  const previews: number[] = [];
  const saves: number[] = [];
  for (let run = 0; run < 4; run++) {
    const form = new FormData();
    form.append('files', new Blob([pdf as Uint8Array<ArrayBuffer>]), `report-${run}.pdf`);
    let started = performance.now();
    const response = await authFetch(`${server.url}/api/sources/upload`, { method: 'POST', body: form });
    const { drafts } = (await response.json()) as {
      drafts: Array<{ format: string; content: string; proposals: Array<{ id: string }>; normalised: string }>;
    };
    previews.push(ms(started));
    const draft = drafts[0]!;
    started = performance.now();
    const saved = await postJson(`${server.url}/api/sources`, {
      format: draft.format,
      content: draft.content,
      fileName: `report-${run}.pdf`,
      acceptedCleaning: draft.proposals.map((p) => p.id),
      allowDuplicate: true,
    });
    if (saved.status !== 201) throw new Error(`save failed: ${saved.status}`);
    saves.push(ms(started));
    if (run === 0)
      process.stdout.write(
        `PDF: ${(pdf.byteLength / 1024).toFixed(0)} KB, ${draft.normalised.length} characters of text\n`,
      );
  }
  process.stdout.write(
    `50-page PDF, upload preview: first ${previews[0]} ms (worker start included), then median ${median(previews.slice(1))} ms\n`,
  );
  process.stdout.write(`50-page PDF, save: median ${median(saves)} ms\n`);

  // 2. 200 sources of news prose, each a shuffle of corpus paragraphs with words changed.
  const next = random(42);
  const texts: string[] = [];
  for (let index = 0; index < 200; index++) {
    const paragraphs = Array.from({ length: 12 }, () => corpus[Math.floor(next() * corpus.length)]!);
    texts.push(
      paragraphs
        .map((paragraph) =>
          paragraph
            .split(' ')
            .map((word) => (next() < 0.08 ? `w${Math.floor(next() * 1e6)}` : word))
            .join(' '),
        )
        .join('\n\n'),
    );
  }
  const ids: string[] = [];
  const importing = performance.now();
  for (const [index, content] of texts.entries()) {
    ids.push((await createSource(server.url, { content: `${content}\n\nSource number ${index}.` })).id);
  }
  process.stdout.write(`200 sources imported in ${(ms(importing) / 1000).toFixed(1)} s\n`);

  const briefingId = await createBriefing(server.url, 'Corroboration');
  const client = connectClient(server.url, briefingId);
  await client.synced;
  const section = getSections(client.doc)[1]!.id;
  for (let index = 0; index < 50; index++) {
    const sourceId = ids[index * 4]!;
    const text = (await getJson<{ text: string }>(`${server.url}/api/sources/${sourceId}`)).body.text;
    const start = text.indexOf('\n\n', Math.floor(next() * (text.length / 2))) + 2;
    const end = text.indexOf(' ', start + 120);
    appendExcerpt(client.doc, section, { sourceId, ...excerptSelectors(describeQuote(text, start, end)) });
  }
  await waitFor(() => getExcerpts(client.doc).every((e) => e.status === 'anchored'), 60_000, 'the excerpts to anchor');
  const checks: number[] = [];
  let found = 0;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const { body } = await getJson<{ excerpts: Array<{ corroboratedBy: unknown[] }> }>(
      `${server.url}/api/briefings/${briefingId}/corroborations`,
    );
    checks.push(ms(started));
    found = body.excerpts.filter((e) => e.corroboratedBy.length > 0).length;
  }
  process.stdout.write(
    `Corroboration of 50 excerpts over 200 sources: first ${checks[0]} ms (indexing included), then median ${median(checks.slice(1))} ms; ${found} of 50 excerpts corroborated\n`,
  );
  client.destroy();
} finally {
  await server.close();
}
