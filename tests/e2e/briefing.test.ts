import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { appendExcerpt, getSections } from '@debrief/briefing';
import { authFetch } from '@debrief/server/testing';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ARTIFACTS, invitePerson, journey, type Person, ROOT, scriptClient, signedInContext } from './harness.ts';

/**
 * The lessons-learned briefing in a real browser, two people at once: a template, lessons with
 * evidence moved in by drag, sections and lessons reordered by drag, the toolbar, comments, a named
 * version compared and restored, the final lock, and the editor on a phone-sized screen.
 */

const CORPUS = resolve(ROOT, '../shared/sources');
const EDITOR = 'Blake Editor';
const BLUF = 'Dial-in from an unsecured line defeats a certified platform.';

const e2e = journey('briefing');

const consoleLines: string[] = [];
const pageErrors: string[] = [];

// Tall enough that dragging from the BLUF to a lesson never leaves the viewport (a mouse drag cannot scroll).
async function openPage(path: string, person?: Person, viewport = { width: 1280, height: 2600 }): Promise<Page> {
  const context = await signedInContext(e2e.browser, e2e.server, person, { viewport });
  const page = await context.newPage();
  page.on('console', (message) => consoleLines.push(message.text()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${e2e.server.url}${path}`);
  return page;
}

/** A sample article saved to the library through the API, with its text. */
async function saveSource(file: string): Promise<{ id: string; text: string }> {
  const content = await readFile(join(CORPUS, file), 'utf8');
  const saved = await authFetch(`${e2e.server.url}/api/sources`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ format: 'text', content, acceptedCleaning: [] }),
  });
  const { id } = (await saved.json()) as { id: string };
  const detail = (await (await authFetch(`${e2e.server.url}/api/sources/${id}`)).json()) as { text: string };
  return { id, text: detail.text };
}

const quoteOf = (source: { id: string; text: string }, phrase: string) => {
  const start = source.text.indexOf(phrase);
  if (start < 0) throw new Error(`not in the source: ${phrase}`);
  return {
    sourceId: source.id,
    exact: phrase,
    prefix: source.text.slice(Math.max(0, start - 32), start),
    suffix: source.text.slice(start + phrase.length, start + phrase.length + 32),
    start,
    end: start + phrase.length,
    quoteSha256: createHash('sha256').update(phrase).digest('hex'),
  };
};

const text = async (locator: Locator) => (await locator.textContent()) ?? '';
const section = (page: Page, kind: string) => page.locator(`[data-testid="section"][data-kind="${kind}"]`);
const body = (page: Page, kind: string) => section(page, kind).locator('.ProseMirror').first();
const lesson = (page: Page, n: number) => page.getByTestId('lesson').nth(n);
/** The document's own text: collaborators' caret labels sit inside the editor but are not content. */
const editorText = (editor: Locator) =>
  editor.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of Array.from(copy.querySelectorAll('.remote-caret'))) caret.remove();
    return copy.textContent ?? '';
  });

/** Drags from the middle of `from` to a point of `to` with the mouse, as a person does. */
async function drag(page: Page, from: Locator, to: Locator, where: 'top' | 'middle' = 'middle') {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, where === 'top' ? b.y + 8 : b.y + b.height / 2, { steps: 20 });
  await page.mouse.up();
}

it('builds a lessons-learned briefing together: lessons with evidence, comments, versions, the final lock', async () => {
  const editorPerson = await invitePerson(e2e.server, 'editor', EDITOR);
  const [webex, kharkiv] = await Promise.all([
    saveSource('000_fd74128d826f9f2b.txt'),
    saveSource('003_bf3c4a421ac649b4.txt'),
  ]);

  // Create from the template; the title's problems are said before anything is sent.
  const lead = await openPage('/');
  await lead.getByTestId('create-briefing').click();
  await expect.poll(() => text(lead.getByTestId('create-error'))).toBe('Give the briefing a title.');
  await lead.getByTestId('new-briefing-title').fill('x'.repeat(230));
  await lead.getByTestId('create-briefing').click();
  await expect
    .poll(() => text(lead.getByTestId('create-error')))
    .toBe('A title can be at most 200 characters; this one has 230.');
  await lead.getByTestId('new-briefing-title').fill('Secure communications failures, 2022–2024');
  await lead.getByTestId('template-lessons-learned').check();
  await lead.getByTestId('create-briefing').click();
  await lead.waitForURL(/\/b\/[^/]+$/);
  const briefingId = new URL(lead.url()).pathname.split('/').at(-1)!;
  await expect
    .poll(() => lead.locator('[data-testid="section"]').evaluateAll((s) => s.map((e) => e.getAttribute('data-kind'))))
    .toEqual(['bluf', 'background', 'lessons', 'recommendations']);
  await expect.poll(() => lead.getByTestId('lesson').count()).toBe(1);

  const editor = await openPage(`/b/${briefingId}`, editorPerson);
  await expect.poll(() => text(editor.getByTestId('connection-state'))).toBe('connected');

  // Two quotes arrive in the BLUF from a script with a token (two sources: evidence to move).
  const { doc, provider } = await scriptClient(e2e.server, briefingId);
  const blufId = getSections(doc)[0]!.id;
  appendExcerpt(doc, blufId, quoteOf(webex, 'one high-level military officer used an unsecured phone line'));
  appendExcerpt(doc, blufId, quoteOf(kharkiv, 'destroying the 3G towers they depend on'));
  const blufExcerpts = section(lead, 'bluf').getByTestId('excerpt');
  await expect.poll(() => blufExcerpts.count()).toBe(2);
  provider.destroy();
  doc.destroy();

  // Add a lesson and drag both quotes into it: the observation and the discussion.
  await lead.getByTestId('add-lesson').click();
  await expect.poll(() => lead.getByTestId('lesson').count()).toBe(2);
  await lesson(lead, 1).getByTestId('lesson-title').fill('Phones outside the certified system defeat it');
  await lesson(lead, 1).getByTestId('lesson-title').press('Tab');
  await drag(
    lead,
    blufExcerpts.first().getByTestId('excerpt-quote'),
    lesson(lead, 1).getByTestId('lesson-observation'),
  );
  await expect.poll(() => lesson(lead, 1).getByTestId('lesson-observation').getByTestId('excerpt').count()).toBe(1);
  await expect.poll(() => blufExcerpts.count()).toBe(1);
  await drag(lead, blufExcerpts.first().getByTestId('excerpt-quote'), lesson(lead, 1).getByTestId('lesson-discussion'));
  await expect.poll(() => lesson(lead, 1).getByTestId('lesson-discussion').getByTestId('excerpt').count()).toBe(1);
  await expect.poll(() => blufExcerpts.count()).toBe(0);
  await expect.poll(() => text(lesson(lead, 1).getByTestId('evidence'))).toContain('2 sources');
  await expect.poll(() => text(lesson(editor, 1).getByTestId('evidence'))).toContain('2 sources');
  await expect.poll(() => text(lesson(lead, 0).getByTestId('evidence-warnings'))).toContain('No excerpt supports');

  // Reorder lessons and sections by drag: the other person sees the same order.
  await drag(lead, lesson(lead, 1).getByTestId('lesson-handle'), lesson(lead, 0), 'top');
  for (const page of [lead, editor]) {
    await expect
      .poll(() => lesson(page, 0).getByTestId('lesson-title').inputValue())
      .toBe('Phones outside the certified system defeat it');
  }
  await drag(lead, section(lead, 'background').getByTestId('section-handle'), section(lead, 'bluf'), 'top');
  for (const page of [lead, editor]) {
    await expect
      .poll(() => page.locator('[data-testid="section"]').evaluateAll((s) => s.map((e) => e.getAttribute('data-kind'))))
      .toEqual(['background', 'bluf', 'lessons', 'recommendations']);
  }
  // And by keyboard: Alt+↓ on a grip moves its section down, Alt+↑ back, the focus staying on the grip.
  const kinds = () =>
    lead.locator('[data-testid="section"]').evaluateAll((s) => s.map((e) => e.getAttribute('data-kind')));
  const focusedGripOf = () =>
    lead.evaluate(() => document.activeElement?.closest('[data-testid="section"]')?.getAttribute('data-kind'));
  await section(lead, 'background').getByTestId('section-handle').focus();
  await lead.keyboard.press('Alt+ArrowDown');
  await expect.poll(kinds).toEqual(['bluf', 'background', 'lessons', 'recommendations']);
  await expect.poll(focusedGripOf).toBe('background');
  await lead.keyboard.press('Alt+ArrowUp');
  await expect.poll(kinds).toEqual(['background', 'bluf', 'lessons', 'recommendations']);
  await expect.poll(focusedGripOf).toBe('background');

  // The toolbar: bold from the button; undo takes back only one's own typing.
  await body(editor, 'background').click();
  await editor.keyboard.type('Written by the editor.');
  await body(lead, 'bluf').click();
  await lead.keyboard.type(BLUF);
  await lead.keyboard.press('Shift+Home');
  await lead.getByTestId('format-bold').click();
  await expect.poll(() => editorText(body(editor, 'bluf').locator('strong'))).toBe(BLUF);
  await body(lead, 'bluf').press('End');
  await lead.keyboard.type(' Typo.');
  await expect.poll(() => editorText(body(editor, 'bluf'))).toBe(`${BLUF} Typo.`);
  await lead.getByTestId('undo').click();
  await expect.poll(() => editorText(body(editor, 'bluf'))).toBe(BLUF);
  await expect.poll(() => editorText(body(lead, 'background'))).toBe('Written by the editor.');

  // Presence: the editor's avatar beside the section they work in.
  await body(editor, 'background').click();
  await expect
    .poll(() => section(lead, 'background').getByTestId('block-presence').getAttribute('aria-label'))
    .toContain(EDITOR);

  // A comment on selected text, answered by the other person, seen live by both.
  await body(lead, 'bluf').click();
  await lead.keyboard.press('End');
  await lead.keyboard.press('Shift+Home');
  await lead.getByTestId('add-comment').click();
  await lead.getByTestId('comment-draft').locator('textarea').fill('Which line? Cite the Pistorius statement.');
  await lead.getByTestId('comment-submit').click();
  await editor.getByTestId('tab-comments').click();
  const editorThread = editor.getByTestId('comment-thread');
  await expect.poll(() => text(editorThread)).toContain('Which line?');
  await expect.poll(() => text(editorThread)).toContain(BLUF);
  await expect.poll(() => body(editor, 'bluf').locator('.comment-anchor').count()).toBeGreaterThan(0);
  await editorThread.getByLabel('Reply').fill('The hotel dial-in; quote added to Lesson 1.');
  await editorThread.getByRole('button', { name: 'Reply' }).click();
  const leadThread = lead.getByTestId('comment-thread');
  await expect.poll(() => text(leadThread)).toContain('The hotel dial-in');

  await mkdir(ARTIFACTS, { recursive: true });
  await lesson(lead, 0).scrollIntoViewIfNeeded();
  await lead.screenshot({ path: join(ARTIFACTS, 'briefing-editor.png'), fullPage: true });
  await lead.screenshot({ path: join(ROOT, 'docs/briefing-editor.png'), fullPage: true });

  await leadThread.getByTestId('comment-resolve').click();
  await expect.poll(() => editorThread.count()).toBe(0);
  await editor.getByTestId('show-resolved').click();
  await expect.poll(() => text(editorThread)).toContain('Resolved');

  // Name a version, change the text, compare (highlights), restore: the other person sees it live.
  await lead.getByTestId('tab-versions').click();
  await lead.getByTestId('version-name').fill('Sent to commander');
  await lead.getByTestId('version-save').click();
  const named = lead.getByTestId('version').filter({ hasText: 'Sent to commander' });
  await expect.poll(() => named.count()).toBe(1);
  await body(lead, 'bluf').click();
  await lead.keyboard.press('End');
  await lead.keyboard.type(' Changed after sending.');
  await expect.poll(() => editorText(body(editor, 'bluf'))).toContain('Changed after sending.');
  await named.getByTestId('version-compare').click();
  const view = lead.getByTestId('version-view');
  await expect.poll(() => text(view.getByTestId('diff-added').first())).toContain('Changed');
  await lead.screenshot({ path: join(ARTIFACTS, 'briefing-compare.png') });
  lead.once('dialog', (dialog) => void dialog.accept());
  await view.getByRole('button', { name: 'Restore this version' }).click();
  await expect.poll(() => editorText(body(editor, 'bluf'))).toBe(BLUF);
  await expect
    .poll(() => lead.getByTestId('version').filter({ hasText: 'Before restoring “Sent to commander”' }).count())
    .toBe(1);

  // Final: locked for the editor on the page (and on the server), not for the lead.
  await lead.getByTestId('status-control').selectOption('final');
  await expect.poll(() => text(editor.getByTestId('briefing-status'))).toBe('Final');
  await expect.poll(() => text(editor.getByTestId('read-only-notice'))).toContain('final');
  await expect.poll(() => body(editor, 'bluf').getAttribute('contenteditable')).toBe('false');
  await expect.poll(() => body(lead, 'bluf').getAttribute('contenteditable')).toBe('true');

  // No load of any page warned about a selection in an empty section.
  expect(consoleLines.filter((line) => line.includes('TextSelection endpoint'))).toEqual([]);
  expect(pageErrors).toEqual([]);
}, 300_000);

it('fits a 390 px screen: the top bar wraps, the saved state shows, the side panel is behind a toggle', async () => {
  const created = await authFetch(`${e2e.server.url}/api/briefings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title: `A long title that must wrap on a phone rather than be clipped ${'and go on '.repeat(8)}`,
    }),
  });
  const { id } = (await created.json()) as { id: string };
  const phone = await openPage(`/b/${id}`, undefined, { width: 390, height: 844 });
  await expect.poll(() => text(phone.getByTestId('connection-state'))).toBe('connected');
  await body(phone, 'bluf').click();
  await phone.keyboard.type('Typed on a phone.');
  await expect.poll(() => text(phone.getByTestId('save-state'))).toBe('saved');
  const fits = await phone.evaluate(() => {
    const saved = document.querySelector('[data-testid="save-state"]')!.getBoundingClientRect();
    const title = document.querySelector('[data-testid="briefing-title"]')!;
    return {
      pageWidth: document.documentElement.scrollWidth,
      savedInView: saved.right <= window.innerWidth && saved.left >= 0,
      titleWraps: title.scrollWidth <= title.clientWidth && title.getBoundingClientRect().height > 60,
    };
  });
  expect(fits).toEqual({ pageWidth: 390, savedInView: true, titleWraps: true });
  expect(await phone.getByTestId('source-picker').isVisible()).toBe(false);
  await phone.getByTestId('panel-toggle').click();
  await expect.poll(() => phone.getByTestId('source-picker').isVisible()).toBe(true);
  await phone.screenshot({ path: join(ARTIFACTS, 'briefing-390.png'), fullPage: true });
});

it('shows no saved state for a briefing that does not exist, and archives, searches and deletes from the list', async () => {
  const missing = await openPage('/b/00000000-0000-4000-8000-000000000000');
  await expect.poll(() => text(missing.getByTestId('connection-state'))).toBe('closed');
  expect(await missing.getByTestId('save-state').count()).toBe(0);

  const created = await authFetch(`${e2e.server.url}/api/briefings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Era cryptophones in Kharkiv', template: 'after-action-review' }),
  });
  const { id } = (await created.json()) as { id: string };
  const list = await openPage('/');
  await list.getByTestId('briefing-search').fill('cryptophones');
  const items = list.getByTestId('briefing-item');
  await expect.poll(() => items.count()).toBe(1);
  await items.first().getByTestId('archive-briefing').click();
  await expect.poll(() => items.count()).toBe(0);
  await list.getByTestId('show-archived').check();
  await expect.poll(() => items.count()).toBe(1);
  list.once('dialog', (dialog) => void dialog.accept());
  await items.first().getByTestId('delete-briefing').click();
  await expect.poll(() => items.count()).toBe(0);
  expect((await authFetch(`${e2e.server.url}/api/briefings/${id}`)).status).toBe(404);
});
