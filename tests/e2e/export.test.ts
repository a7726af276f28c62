import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { authFetch } from '@debrief/server/testing';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { ARTIFACTS, journey, ROOT, scriptClient, signedInContext } from './harness.ts';

const CORPUS = resolve(ROOT, '../shared/sources');
const QUOTE =
  'Pistorius said that one of the participants had accidentally joined the official meeting from a non-secure line';
const ORPHAN = 'Every participant dialled in over the secure line, as the regulations require.';

const e2e = journey('export');

const api = (path: string, body?: unknown) =>
  authFetch(`${e2e.server.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  }).then((r) => r.json() as Promise<Record<string, unknown>>);

/** A briefing citing the corpus twice: one quote as the source has it, one found nowhere in it. */
async function briefingWithOrphan(): Promise<string> {
  const saved = await api('/api/sources', {
    format: 'text',
    content: await readFile(join(CORPUS, '000_fd74128d826f9f2b.txt'), 'utf8'),
    acceptedCleaning: [],
    metadata: { title: 'Pistorius on the Webex leak', 'container-title': 'WION' },
    allowDuplicate: true,
  });
  const sourceId = saved.id as string;
  const text = (await api(`/api/sources/${sourceId}`)).text as string;
  const briefingId = (await api('/api/briefings', { title: 'Webex intercept: lessons identified' })).id as string;
  const { doc, provider } = await scriptClient(e2e.server, briefingId);
  const excerpt = (exact: string, start: number) => {
    const element = new Y.XmlElement('excerpt');
    const attributes = {
      excerptId: randomUUID(),
      sourceId,
      exact,
      prefix: text.slice(Math.max(0, start - 32), start),
      suffix: text.slice(start + exact.length, start + exact.length + 32),
      start,
      end: start + exact.length,
      quoteSha256: createHash('sha256').update(exact).digest('hex'),
    };
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string);
    return element;
  };
  const observation = doc.getArray<Y.Map<unknown>>('lessons').get(0).get('observation') as Y.XmlFragment;
  observation.push([excerpt(QUOTE, text.indexOf(QUOTE)), excerpt(ORPHAN, 0)]);
  // Both are in the server's citations before the script goes.
  await expect
    .poll(async () => ((await api(`/api/briefings/${briefingId}/citations`)).citations as unknown[]).length)
    .toBe(2);
  provider.destroy();
  return briefingId;
}

it('warns of flagged excerpts before exporting, shows progress, and downloads the PDF', async () => {
  const briefingId = await briefingWithOrphan();
  const context = await signedInContext(e2e.browser, e2e.server, undefined, { viewport: { width: 1280, height: 900 } });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${e2e.server.url}/b/${briefingId}`);

  // The server's check marks the orphan in the document; the dialog lists it before anything runs.
  await expect.poll(() => page.locator('[data-testid="excerpt"][data-status="orphaned"]').count()).toBe(1);
  await page.getByTestId('export-open').click();
  const dialog = page.getByTestId('export-dialog');
  const warnings = dialog.getByTestId('export-warnings');
  await expect.poll(() => warnings.textContent()).toContain('1 excerpt fails the integrity check');
  await expect.poll(() => warnings.textContent()).toContain(ORPHAN.slice(0, 40));
  await page.screenshot({ path: join(ARTIFACTS, 'export-dialog.png') });

  // The warning's link shows the excerpt in the editor.
  await warnings.getByTestId('export-jump').click();
  await expect.poll(() => dialog.count()).toBe(0);
  const orphan = page.locator('[data-testid="excerpt"][data-status="orphaned"]');
  await expect.poll(() => orphan.isVisible()).toBe(true);
  expect(
    await orphan.evaluate((e) => e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().bottom <= innerHeight),
  ).toBe(true);

  // Export as PDF: a progress bar with the step, then the download.
  await page.getByTestId('export-open').click();
  await dialog.getByTestId('export-format-pdf').check();
  await dialog.getByTestId('export-start').click();
  const steps = new Set<string>();
  const download = dialog.getByTestId('export-download');
  await expect
    .poll(
      async () => {
        const step = await dialog
          .getByTestId('export-step')
          .textContent()
          .catch(() => null);
        if (step) steps.add(step);
        return download.isVisible();
      },
      { timeout: 60_000, interval: 100 },
    )
    .toBe(true);
  expect([...steps].at(-1)).toBe('Done');
  expect(await dialog.locator('progress').getAttribute('value')).toBe('100');
  await page.screenshot({ path: join(ARTIFACTS, 'export-done.png') });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toBe('Webex-intercept-lessons-identified.pdf');
  const bytes = await readFile((await file.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);
