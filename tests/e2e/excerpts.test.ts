import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { authFetch } from '@debrief/server/testing';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { ARTIFACTS, journey, ROOT, scriptClient, signedInContext } from './harness.ts';

const CORPUS = resolve(ROOT, '../shared/sources');
// A clipped news article from the shared corpus; it starts with the clipper's "date …" marker.
const SOURCE_FILE = join(CORPUS, '000_fd74128d826f9f2b.txt');
/** A corpus file as an upload, for a file list that mixes it with made-up files. */
const corpusFile = async (name: string) => ({
  name,
  mimeType: 'text/plain',
  buffer: await readFile(join(CORPUS, name)),
});
const SOURCE_TITLE = 'Pistorius: an officer’s mistake let Russia record the Webex call';
const PUBLISHER = 'WION';
const DRAGGED =
  'Pistorius said that one of the participants had accidentally joined the official meeting from a non-secure line';
const ADDED =
  'The German defence minister also noted that the use of Webex for calls up to a certain security grade was authorised.';
const NOTE = 'A single careless dial-in undid the certified platform.';

const e2e = journey('excerpts');

/** Uncaught errors of every page opened by a test; each test ends by expecting none. */
const pageErrors: string[] = [];

async function openPage(): Promise<Page> {
  const page = await (
    await signedInContext(e2e.browser, e2e.server, undefined, { viewport: { width: 1280, height: 900 } })
  ).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

// Version 2 of the briefing reads observations, discussion and conclusions in its lesson entries:
// these tests write in the first lesson's fields, and in the sections for the rest.
const LESSON_FIELD: Record<string, string> = {
  observations: 'observation',
  discussion: 'discussion',
  conclusions: 'conclusion',
};
const section = (page: Page, kind: string) =>
  kind in LESSON_FIELD
    ? page.getByTestId('lesson').first().getByTestId(`lesson-${LESSON_FIELD[kind]}`)
    : page.locator(`[data-testid="section"][data-kind="${kind}"]`);

/** Viewport coordinates of the first and last character of `phrase` in the reader's text. */
function phraseEdges(page: Page, phrase: string) {
  return page.getByTestId('reader').evaluate((reader, phrase) => {
    const text = reader.textContent ?? '';
    const start = text.indexOf(phrase);
    if (start < 0) throw new Error(`"${phrase}" is not in the reader`);
    const end = start + phrase.length;
    const walker = document.createTreeWalker(reader, NodeFilter.SHOW_TEXT);
    const charRect = (offset: number) => {
      let seen = 0;
      walker.currentNode = reader;
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (offset < seen + node.data.length) {
          const range = document.createRange();
          range.setStart(node, offset - seen);
          range.setEnd(node, offset - seen + 1);
          return range.getBoundingClientRect();
        }
        seen += node.data.length;
      }
      throw new Error(`offset ${offset} is past the text`);
    };
    const view = reader.getBoundingClientRect();
    const top = charRect(start).top;
    if (top < view.top || top > view.bottom - 60) reader.scrollTop += top - view.top - 80;
    const from = charRect(start);
    const to = charRect(end - 1);
    const middle = charRect(start + Math.floor(phrase.length / 2));
    return {
      from: { x: from.left + 1, y: from.top + from.height / 2 },
      to: { x: to.right - 1, y: to.top + to.height / 2 },
      middle: { x: (middle.left + middle.right) / 2, y: middle.top + middle.height / 2 },
    };
  }, phrase);
}

/** Selects `phrase` in the reader the way a person does: press at its start, drag to its end, release. */
async function selectWithMouse(page: Page, phrase: string) {
  const { from, to, middle } = await phraseEdges(page, phrase);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => document.getSelection()?.toString() ?? '')).toBe(phrase);
  return middle;
}

it('imports a source, quotes it by drag and by keyboard, and shows where each quote comes from', async () => {
  const page = await openPage();

  // Import through the library page: upload, review the proposed clean-up, name it, save.
  await page.goto(`${e2e.server.url}/`);
  await page.getByTestId('sources-nav').click();
  await page.waitForURL(/\/sources$/);
  await page.getByRole('tab', { name: 'Upload files' }).click();
  await page.getByTestId('import-files').setInputFiles(SOURCE_FILE);
  const draft = page.getByTestId('draft');
  await expect.poll(() => draft.count()).toBe(1);
  const dateMarker = draft.locator('[data-testid="proposal"][data-kind="date_marker"]');
  await expect.poll(() => dateMarker.textContent()).toContain('date 2024-03-05');
  await expect.poll(() => dateMarker.locator('input[type="checkbox"]').isChecked()).toBe(true);
  await expect.poll(() => draft.getByTestId('removal').first().textContent()).toBe('date 2024-03-05 ');
  await expect.poll(() => draft.getByTestId('metadata-issued').inputValue()).toBe('2024-03-05');
  await draft.getByTestId('metadata-title').fill(SOURCE_TITLE);
  await draft.getByTestId('metadata-publisher').fill(PUBLISHER);
  await page.screenshot({ path: join(ARTIFACTS, 'sources-preview.png'), fullPage: true });
  await draft.getByTestId('save-draft').click();
  await expect.poll(() => draft.textContent()).toContain('Saved to the library');
  await expect.poll(() => page.getByTestId('source-link').textContent()).toContain(SOURCE_TITLE);

  // A briefing, with the source open in the reader.
  await page.goto(`${e2e.server.url}/`);
  await page.getByTestId('new-briefing-title').fill('Webex intercept lessons');
  await page.getByTestId('create-briefing').click();
  await page.waitForURL(/\/b\/[^/]+$/);
  const briefingId = new URL(page.url()).pathname.split('/').at(-1)!;
  await page.getByTestId('source-picker').selectOption({ label: SOURCE_TITLE });
  const reader = page.getByTestId('reader');
  await expect.poll(() => reader.textContent()).toContain(DRAGGED);
  // The accepted removal is gone from the text excerpts quote.
  await expect.poll(async () => (await reader.textContent())?.startsWith('German Defence Minister')).toBe(true);

  // Drag: select a sentence with the mouse, then drag the selection into Observations.
  // The lesson's Observation sits below the briefing's fields: bring it into view (a drag cannot scroll).
  await section(page, 'observations').scrollIntoViewIfNeeded();
  const grip = await selectWithMouse(page, DRAGGED);
  const target = await section(page, 'observations').locator('.ProseMirror').boundingBox();
  await page.mouse.move(grip.x, grip.y);
  await page.mouse.down();
  await page.mouse.move(target!.x + 40, target!.y + target!.height / 2, { steps: 20 });
  await page.mouse.up();

  const observed = section(page, 'observations').getByTestId('excerpt');
  await expect.poll(() => observed.count()).toBe(1);
  await expect.poll(() => observed.getByTestId('excerpt-quote').textContent()).toBe(DRAGGED);
  await expect.poll(() => observed.getByTestId('citation-number').textContent()).toBe('[1]');
  await expect.poll(() => observed.getByTestId('excerpt-source').textContent()).toBe(SOURCE_TITLE);
  // No plain-text copy of the quote was dropped beside the excerpt.
  await expect.poll(() => section(page, 'observations').locator('.ProseMirror > p').allTextContents()).toEqual(['']);
  await expect.poll(() => observed.getByTestId('excerpt-status').count()).toBe(0);
  await expect.poll(() => reader.locator('mark.cited').allTextContents()).toEqual([DRAGGED]);
  await observed.getByTestId('excerpt-note').fill(NOTE);
  await observed.getByTestId('excerpt-note').press('Enter');

  // Keyboard: select another passage, open "Add to section…" and pick Conclusions with the keys.
  await selectWithMouse(page, ADDED);
  await page.getByTestId('add-excerpt').focus();
  await page.keyboard.press('Enter');
  const items = page.getByTestId('add-excerpt-section');
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Bottom line up front');
  await page.keyboard.press('Escape');
  await expect.poll(() => items.count()).toBe(0);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('add-excerpt');
  await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Lesson 1: Conclusion');
  await page.keyboard.press('Enter');

  const concluded = section(page, 'conclusions').getByTestId('excerpt');
  await expect.poll(() => concluded.count()).toBe(1);
  await expect.poll(() => concluded.getByTestId('excerpt-quote').textContent()).toBe(ADDED);
  await expect.poll(() => concluded.getByTestId('citation-number').textContent()).toBe('[1]');
  await expect.poll(() => concluded.getByTestId('excerpt-status').count()).toBe(0);
  await expect.poll(() => page.getByTestId('reader-notice').textContent()).toBe('Added to Lesson 1: Conclusion.');

  // The citation number leads back to the passage: the reader scrolls to it and marks it.
  await reader.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  await concluded.getByTestId('citation-number').click();
  const focused = reader.locator('mark.focus');
  await expect.poll(() => focused.textContent()).toBe(ADDED);
  await expect
    .poll(() =>
      focused.evaluate((mark) => {
        const box = mark.getBoundingClientRect();
        const view = mark.closest('[data-testid="reader"]')!.getBoundingClientRect();
        return box.top >= view.top && box.bottom <= view.bottom;
      }),
    )
    .toBe(true);
  await page.screenshot({ path: join(ARTIFACTS, 'excerpts.png') });

  const response = await page.request.get(`${e2e.server.url}/api/briefings/${briefingId}/citations`);
  expect(response.ok()).toBe(true);
  const { citations } = (await response.json()) as {
    citations: Array<{ exact: string; status: string; number: number; note: string | null }>;
  };
  expect(citations.map((c) => [c.exact, c.status, c.number, c.note])).toEqual([
    [DRAGGED, 'anchored', 1, NOTE],
    [ADDED, 'anchored', 1, null],
  ]);

  // The library knows who cites the source.
  await page.getByTestId('sources-nav').click();
  await expect.poll(() => page.getByTestId('citation-count').textContent()).toBe('2 citations');
  await page.getByTestId('source-link').click();
  await expect.poll(() => page.getByTestId('source-citation').allTextContents()).toEqual([DRAGGED, ADDED]);
  await page.screenshot({ path: join(ARTIFACTS, 'source-detail.png'), fullPage: true });

  // A cited source cannot be deleted: the page says so, and where, before anything is asked.
  await expect.poll(() => page.getByTestId('delete-blocked').textContent()).toContain('cited 2 times in 1 briefing');
  await expect.poll(() => page.getByTestId('delete-source').isDisabled()).toBe(true);
  expect(pageErrors).toEqual([]);
}, 120_000);

it('imports by paste and URL, flags duplicates, and keeps nothing of a refused import', async () => {
  const page = await openPage();
  await page.goto(`${e2e.server.url}/sources`);
  // Counted once the list has loaded (one source, or none when this test runs alone).
  await page.getByTestId('source-link').or(page.getByText('No sources yet')).first().waitFor();
  const before = await page.getByTestId('source-link').count();
  const article = [
    '# Exercise Steadfast Relay: radio net collapsed',
    '',
    'By Dana Whitfield',
    '',
    'The brigade net failed for forty minutes when a relay site lost power and no backup generator was fuelled.',
  ].join('\n');

  await page.getByTestId('import-paste').fill(article);
  await page.getByTestId('import-format').selectOption('markdown');
  await page.getByRole('button', { name: 'Preview' }).click();
  const draft = page.getByTestId('draft');
  await expect.poll(() => draft.getByTestId('draft-text').textContent()).toContain('relay site lost power');
  await draft.getByTestId('metadata-title').fill('Steadfast Relay net collapse');
  await draft.getByTestId('metadata-authors').fill('Dana Whitfield');
  await draft.getByTestId('metadata-issued').fill('2024-13-01');
  await draft.getByTestId('save-draft').click();
  await expect.poll(() => draft.locator('.field-error').textContent()).toContain('YYYY-MM-DD');
  await draft.getByTestId('metadata-issued').fill('2024-06-11');
  await draft.getByTestId('save-draft').click();
  await expect.poll(() => draft.textContent()).toContain('Saved to the library');
  await expect.poll(() => page.getByTestId('source-link').count()).toBe(before + 1);

  // The same text again: the preview already knows, and saving a second copy takes a confirmation.
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect.poll(() => page.getByTestId('duplicate').textContent()).toContain('Already in the library as');
  await expect.poll(() => page.getByTestId('duplicate').textContent()).toContain('Steadfast Relay net collapse');
  await page.screenshot({ path: join(ARTIFACTS, 'sources-duplicate.png'), fullPage: true });
  await page.getByRole('button', { name: 'Save anyway' }).click();
  await expect.poll(() => page.getByTestId('source-link').count()).toBe(before + 2);

  // Several files at once: each is reviewed on its own, a file that cannot be read is named, the rest saved together.
  await page.getByRole('tab', { name: 'Upload files' }).click();
  await page
    .getByTestId('import-files')
    .setInputFiles([
      await corpusFile('002_bbfc05d1effc9bd0.txt'),
      { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n') },
      await corpusFile('003_bf3c4a421ac649b4.txt'),
    ]);
  await expect.poll(() => page.getByTestId('import-failure').textContent()).toContain('scan.pdf');
  await expect.poll(() => page.getByTestId('draft').count()).toBe(2);
  await page.getByTestId('save-all').click();
  await expect.poll(() => page.getByTestId('source-link').count()).toBe(before + 4);
  await expect.poll(() => page.getByText('Saved to the library as').count()).toBe(2);

  // A refusal is shown where it happened and nothing is added.
  await page.getByRole('tab', { name: 'From a URL' }).click();
  await page.getByTestId('import-url').fill('http://127.0.0.1:9/nothing-listens-here');
  await page.getByRole('button', { name: 'Fetch' }).click();
  await expect.poll(() => page.getByTestId('import-error').count()).toBe(1);
  expect(await page.getByTestId('source-link').count()).toBe(before + 4);
  await page.screenshot({ path: join(ARTIFACTS, 'sources-errors.png'), fullPage: true });

  // Metadata stays editable after saving; an uncited source can be deleted.
  await page.getByTestId('source-link').filter({ hasText: 'Steadfast Relay net collapse' }).click();
  await page.getByTestId('metadata-publisher').fill('Signals Quarterly');
  await page.getByTestId('save-metadata').click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Saved.');
  await page.reload();
  await expect.poll(() => page.getByTestId('metadata-publisher').inputValue()).toBe('Signals Quarterly');
  await expect.poll(() => page.getByTestId('metadata-authors').inputValue()).toBe('Dana Whitfield');
  await page.getByTestId('delete-source').click();
  await page.getByTestId('confirm-delete').click();
  await page.waitForURL(/\/sources$/);
  await expect.poll(() => page.getByTestId('source-link').count()).toBe(before + 3);
  expect(pageErrors).toEqual([]);
}, 120_000);

it('shows the server’s verdicts from the document: a moved quote where it is now, a wrong shape with why', async () => {
  const api = (path: string, body?: unknown) =>
    authFetch(`${e2e.server.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  const saved = await api('/api/sources', {
    format: 'text',
    content: await readFile(SOURCE_FILE, 'utf8'),
    acceptedCleaning: [],
    metadata: { title: 'Webex call, as clipped' },
    allowDuplicate: true,
  });
  const sourceId = saved.id as string;
  const text = (await api(`/api/sources/${sourceId}`)).text as string;
  const briefingId = (await api('/api/briefings', { title: 'Verdicts from outside' })).id as string;

  // An outside tool writes two excerpts with plain yjs: one whose offsets are stale, one with string offsets.
  // It signs in as a script does, with a personal API token.
  const { doc, provider } = await scriptClient(e2e.server, briefingId);
  const start = text.indexOf(DRAGGED);
  const excerpt = (attributes: Record<string, unknown>) => {
    const element = new Y.XmlElement('excerpt');
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string);
    return element;
  };
  const quote = {
    sourceId,
    exact: DRAGGED,
    prefix: text.slice(start - 32, start),
    suffix: text.slice(start + DRAGGED.length, start + DRAGGED.length + 32),
    quoteSha256: createHash('sha256').update(DRAGGED).digest('hex'),
  };
  const observations = doc.getArray<Y.Map<unknown>>('lessons').get(0).get('observation') as Y.XmlFragment;
  observations.push([
    excerpt({ ...quote, excerptId: randomUUID(), start: 0, end: DRAGGED.length }),
    excerpt({ ...quote, excerptId: randomUUID(), start: String(start), end: String(start + DRAGGED.length) }),
  ]);

  const page = await openPage();
  await page.goto(`${e2e.server.url}/b/${briefingId}`);
  const [moved, invalid] = [0, 1].map((n) => section(page, 'observations').getByTestId('excerpt').nth(n));
  await expect.poll(() => moved!.getByTestId('excerpt-status').textContent()).toBe('moved in source');
  await expect.poll(() => invalid!.getByTestId('excerpt-status').textContent()).toBe('not a valid excerpt');
  await expect
    .poll(() => invalid!.getByTestId('excerpt-status-reason').textContent())
    .toBe(
      `start must be a number, not the string "${start}"; end must be a number, not the string "${start + DRAGGED.length}"`,
    );
  // The reader opens the cited source by itself and marks the quote where the server found it, not at 0.
  const reader = page.getByTestId('reader');
  await expect.poll(() => reader.locator('mark.cited').allTextContents()).toEqual([DRAGGED]);
  await expect.poll(() => moved!.getByTestId('citation-number').textContent()).toBe('[1]');
  await expect.poll(() => invalid!.getByTestId('citation-number').textContent()).toBe('[?]');
  await moved!.getByTestId('citation-number').click();
  await expect.poll(() => reader.locator('mark.focus').textContent()).toBe(DRAGGED);
  await page.screenshot({ path: join(ARTIFACTS, 'excerpt-verdicts.png') });

  provider.destroy();
  doc.destroy();
  expect(pageErrors).toEqual([]);
}, 60_000);
