import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { invitePerson, journey, type Person, ROOT, signedInContext, startServer } from './harness.ts';

const TITLE = 'Webex intercept lessons';
const BLUF_TEXT = 'Dial-in from an unsecured line defeats a certified platform.';
const OBSERVATIONS_TEXT = 'Two participants joined by phone from a hotel lobby.';
const AVERY = 'Avery Analyst';
const BLAKE = 'Blake Reviewer';

const e2e = journey('coedit');

/** A fresh browser profile signed in as `person` (the server's administrator unless given). */
async function openPage(url: string, person?: Person): Promise<Page> {
  const context = await signedInContext(e2e.browser, e2e.server, person);
  const page = await context.newPage();
  await page.goto(url);
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
// The document's own text: collaborators' caret labels sit inside the editor but are not content.
const editorText = (page: Page, kind: string) =>
  section(page, kind)
    .locator('.ProseMirror')
    .evaluate((editor) => {
      const copy = editor.cloneNode(true) as HTMLElement;
      for (const caret of Array.from(copy.querySelectorAll('.remote-caret'))) caret.remove();
      return copy.textContent ?? '';
    });
const testIdText = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

it('lets two people co-edit a briefing and keeps their words across a server crash', async () => {
  const first = e2e.server;
  // Two people of the workspace: who they are (names, colours) comes from their accounts.
  const averyAccount = await invitePerson(first, 'editor', AVERY);
  const blakeAccount = await invitePerson(first, 'editor', BLAKE);
  const avery = await openPage(`${first.url}/`, averyAccount);
  await avery.getByTestId('new-briefing-title').fill(TITLE);
  await avery.getByTestId('create-briefing').click();
  await avery.waitForURL(/\/b\/[^/]+$/);
  const briefingPath = new URL(avery.url()).pathname;
  await expect.poll(() => avery.getByTestId('briefing-title').inputValue()).toBe(TITLE);

  const blake = await openPage(`${first.url}${briefingPath}`, blakeAccount);
  for (const page of [avery, blake]) {
    await expect.poll(() => testIdText(page, 'connection-state')).toBe('connected');
    await expect.poll(() => page.getByTestId('presence-user').count()).toBe(2);
  }
  await expect.poll(() => testIdText(avery, 'presence')).toContain(BLAKE);
  await expect.poll(() => testIdText(blake, 'presence')).toContain(AVERY);
  await expect.poll(() => testIdText(blake, 'presence')).toContain(`${BLAKE} (you)`);

  await section(avery, 'bluf').locator('.ProseMirror').click();
  await avery.keyboard.type(BLUF_TEXT);
  await section(blake, 'observations').locator('.ProseMirror').click();
  await blake.keyboard.type(OBSERVATIONS_TEXT);

  await expect.poll(() => editorText(blake, 'bluf')).toBe(BLUF_TEXT);
  await expect.poll(() => editorText(avery, 'observations')).toBe(OBSERVATIONS_TEXT);
  await expect
    .poll(() => section(avery, 'observations').locator('.remote-caret-label', { hasText: BLAKE }).isVisible())
    .toBe(true);
  await expect
    .poll(() => section(blake, 'bluf').locator('.remote-caret-label', { hasText: AVERY }).isVisible())
    .toBe(true);
  for (const page of [avery, blake]) {
    await expect.poll(() => testIdText(page, 'save-state'), { timeout: 15_000 }).toBe('saved');
  }

  await mkdir(join(ROOT, 'tests/e2e/artifacts'), { recursive: true });
  await avery.screenshot({ path: join(ROOT, 'tests/e2e/artifacts/coedit.png'), fullPage: true });

  // Moving to another section takes the caret along: it must not linger where it was.
  await section(avery, 'discussion').locator('.ProseMirror').click();
  await expect
    .poll(() => section(blake, 'discussion').locator('.remote-caret-label', { hasText: AVERY }).isVisible())
    .toBe(true);
  await expect.poll(() => section(blake, 'bluf').locator('.remote-caret').count()).toBe(0);
  await section(avery, 'conclusions').locator('.ProseMirror').click();
  await expect
    .poll(() => section(blake, 'conclusions').locator('.remote-caret-label', { hasText: AVERY }).isVisible())
    .toBe(true);
  await expect.poll(() => section(blake, 'discussion').locator('.remote-caret').count()).toBe(0);

  await first.kill();
  await expect.poll(() => testIdText(avery, 'connection-state')).not.toBe('connected');

  e2e.server = await startServer(e2e.dataDir);
  const reader = await openPage(`${e2e.server.url}${briefingPath}`);
  // The first answer of a freshly started server, loading the briefing from disk, into a page
  // that is loading too: the slowest wait of the journey on a loaded machine.
  await expect.poll(() => reader.getByTestId('briefing-title').inputValue(), { timeout: 30_000 }).toBe(TITLE);
  await expect.poll(() => editorText(reader, 'bluf')).toBe(BLUF_TEXT);
  await expect.poll(() => editorText(reader, 'observations')).toBe(OBSERVATIONS_TEXT);
});

it('tells the reader when a briefing does not exist instead of retrying forever', async () => {
  const page = await openPage(`${e2e.server.url}/b/00000000-0000-4000-8000-000000000000`);
  await expect.poll(() => testIdText(page, 'connection-state')).toBe('closed');
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('This briefing no longer exists');
  await expect.poll(() => page.locator('.ProseMirror').count()).toBe(0);
});
