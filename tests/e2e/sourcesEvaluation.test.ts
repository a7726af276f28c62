import { join } from 'node:path';
import { authFetch } from '@debrief/server/testing';
import { makeDocx, makePdf } from '@debrief/sources/testing';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ARTIFACTS, journey, signedInContext } from './harness.ts';

const PDF_TITLE = 'Exercise Steel Wire: after-action report';
const DOCX_TITLE = 'Ministry statement on dial-ins';
const FINDING =
  'The officer dialled in to the conference from an unsecured hotel line, which let the adversary record the whole call.';
const CONTEXT = 'Nobody checked the participant list before the discussion of classified matters began.';
const LESSON = 'Certified platforms do not protect a meeting when one participant joins from an uncertified network.';

const e2e = journey('evaluation');

const section = (page: Page, kind: string) => page.locator(`[data-testid="section"][data-kind="${kind}"]`);
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

it('imports a PDF and a DOCX, grades source and excerpt, and never loses an excerpt by accident', async () => {
  const pageErrors: string[] = [];
  const page = await (await signedInContext(e2e.browser, e2e.server)).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));

  // Upload a PDF and a Word document; both previews read their text and their files' properties.
  const pdf = await makePdf([{ heading: 'Findings', paragraphs: [FINDING, CONTEXT] }, { paragraphs: [LESSON] }], {
    title: PDF_TITLE,
    author: 'Jane Doe',
    created: new Date('2024-03-05T10:00:00Z'),
  });
  const docx = await makeDocx({ title: DOCX_TITLE, heading: 'Statement', paragraphs: [LESSON, FINDING] });
  await page.goto(`${e2e.server.url}/sources`);
  await page.getByRole('tab', { name: 'Upload files' }).click();
  await page.getByTestId('import-files').setInputFiles([
    { name: 'steel-wire.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) },
    {
      name: 'statement.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(docx),
    },
  ]);
  const drafts = page.getByTestId('draft');
  await expect.poll(() => drafts.count(), { timeout: 60_000 }).toBe(2);
  await expect.poll(() => drafts.nth(0).getByTestId('metadata-title').inputValue()).toBe(PDF_TITLE);
  await expect.poll(() => drafts.nth(0).getByTestId('metadata-authors').inputValue()).toBe('Jane Doe');
  await expect.poll(() => drafts.nth(1).getByTestId('metadata-title').inputValue()).toBe(DOCX_TITLE);
  await expect.poll(() => drafts.nth(0).getByTestId('draft-text').textContent()).toContain(FINDING);
  await page.screenshot({ path: join(ARTIFACTS, 'evaluation-upload.png'), fullPage: true });
  await page.getByTestId('save-all').click();
  await expect.poll(() => page.getByTestId('source-link').allTextContents()).toHaveLength(2);

  // Grade the PDF's reliability in the library: B, usually reliable.
  const pdfItem = page.getByTestId('source-item').filter({ hasText: PDF_TITLE });
  await pdfItem.getByTestId('source-reliability').selectOption('B');
  const sources = async () =>
    (
      (await (await authFetch(`${e2e.server.url}/api/sources`)).json()) as {
        sources: Array<{ title: string; reliability: string | null }>;
      }
    ).sources;
  await expect.poll(async () => (await sources()).find((s) => s.title === PDF_TITLE)?.reliability).toBe('B');

  // A briefing with the PDF in the reader.
  await page.goto(`${e2e.server.url}/`);
  await page.getByTestId('new-briefing-title').fill('Steel Wire lessons');
  await page.getByTestId('create-briefing').click();
  await page.waitForURL(/\/b\/[^/]+$/);
  const briefingId = new URL(page.url()).pathname.split('/').at(-1)!;
  await page.getByTestId('source-picker').selectOption({ label: PDF_TITLE });
  const reader = page.getByTestId('reader');
  await expect.poll(() => reader.textContent()).toContain(FINDING);
  // Its paragraphs are paragraphs.
  await expect.poll(() => reader.locator('.paragraph').count()).toBeGreaterThanOrEqual(4);

  // Keyboard only: into the text, the caret by sentence past the heading, Shift to take the finding.
  await reader.focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.getByTestId('reading-caret').count()).toBe(1);
  await page.keyboard.press('Shift+ArrowDown');
  await expect.poll(() => page.evaluate(() => document.getSelection()?.toString().trim())).toBe(FINDING);
  await page.screenshot({ path: join(ARTIFACTS, 'evaluation-keyboard-selection.png') });
  await page.keyboard.press('Tab');
  await expect.poll(() => focusedTestId(page)).toBe('add-excerpt');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Background and timeline');
  await page.keyboard.press('Enter');
  const observed = section(page, 'background').getByTestId('excerpt');
  await expect.poll(() => observed.count()).toBe(1);
  await expect.poll(() => observed.getByTestId('excerpt-quote').textContent()).toBe(FINDING);
  await expect.poll(() => observed.getByTestId('excerpt-status').count(), { timeout: 10_000 }).toBe(0);

  // Grade the excerpt's credibility: the card reads B2, and so does its citation.
  await observed.getByTestId('excerpt-credibility').selectOption('2');
  await expect.poll(() => observed.getByTestId('excerpt-grade').textContent()).toBe('B2');
  const citations = async () =>
    (
      (await (await authFetch(`${e2e.server.url}/api/briefings/${briefingId}/citations`)).json()) as {
        citations: Array<{ exact: string; grade: string | null }>;
      }
    ).citations;
  await expect.poll(async () => (await citations()).map((c) => c.grade)).toEqual(['B2']);

  // The Word document holds the same finding: the card offers it as corroboration.
  const offer = observed.getByTestId('excerpt-corroboration');
  await expect.poll(() => offer.textContent(), { timeout: 15_000 }).toContain(`Also in “${DOCX_TITLE}”`);
  await page.screenshot({ path: join(ARTIFACTS, 'evaluation-graded.png') });
  await offer.getByTestId('excerpt-confirm').click();
  await expect.poll(() => observed.getByTestId('excerpt-grade').textContent()).toBe('B1');

  // Click the quote (the excerpt is selected) and type: the excerpt stays, the words go after it.
  await observed.getByTestId('excerpt-quote').click();
  await page.keyboard.type('Typed after clicking the quote.');
  await expect.poll(() => observed.count()).toBe(1);
  await expect
    .poll(() => section(page, 'background').locator('.ProseMirror > p').allTextContents())
    .toContain('Typed after clicking the quote.');

  // Remove it on purpose, then take it back.
  await observed.getByTestId('excerpt-remove').click();
  await expect.poll(() => observed.count()).toBe(0);
  await expect.poll(() => page.getByTestId('excerpt-removed').textContent()).toContain('Excerpt removed');
  await page.screenshot({ path: join(ARTIFACTS, 'evaluation-removed.png') });
  await page.getByTestId('excerpt-undo').click();
  await expect.poll(() => observed.count()).toBe(1);
  await expect.poll(() => observed.getByTestId('excerpt-quote').textContent()).toBe(FINDING);
  await expect.poll(() => observed.getByTestId('excerpt-grade').textContent()).toBe('B1');
  await expect.poll(async () => (await citations()).map((c) => [c.exact, c.grade])).toEqual([[FINDING, 'B1']]);

  // The source page says it is cited before offering any deletion.
  await page.goto(`${e2e.server.url}/sources`);
  await page.getByTestId('source-link').filter({ hasText: PDF_TITLE }).click();
  await expect.poll(() => page.getByTestId('delete-blocked').textContent()).toContain('cited once in 1 briefing');
  await expect.poll(() => page.getByTestId('source-reliability').inputValue()).toBe('B');
  await page.screenshot({ path: join(ARTIFACTS, 'evaluation-source.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
}, 180_000);
