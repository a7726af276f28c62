import { join } from 'node:path';
import { spawnServer } from '@debrief/server/testing';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ARTIFACTS, journey, PASSWORD } from './harness.ts';

/**
 * The administrator's journey on a fresh instance: the first-run setup link printed at start,
 * a workspace, an invitation by link, and a viewer who joins through it and reads a briefing live
 * without being able to change it. The admin pages are photographed on the way.
 */

const ADMIN = { name: 'Morgan Admin', email: 'morgan@example.org' };
const VIEWER = { name: 'Vic Viewer', email: 'vic@example.org' };
const WORKSPACE = 'Kharkiv review';
const WRITTEN = 'Era phones depend on 3G towers that were destroyed first.';
const LATER = 'Plan for the loss of civilian networks.';

// No account is made: this is a fresh instance, as `npm start` finds it the first time.
const e2e = journey('accounts', (dataDir) => spawnServer({ DATA_DIR: dataDir }, [], { account: false }));

async function freshPage(width = 1280): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  // Removing a member asks for confirmation.
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
// The document's own words: collaborators' caret labels sit inside the editor but are not content.
const editorText = (page: Page, kind: string) =>
  page.locator(`[data-testid="section"][data-kind="${kind}"] .ProseMirror`).evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement;
    for (const caret of Array.from(copy.querySelectorAll('.remote-caret'))) caret.remove();
    return copy.textContent ?? '';
  });

it('sets up the first administrator from the start-up link, who invites a viewer that reads live but cannot type', async () => {
  // The server printed a one-time setup link, and nothing else lets anyone in.
  await expect.poll(() => /\/setup\?code=[\w-]+/.exec(e2e.server.output())?.[0], { timeout: 15_000 }).toBeTruthy();
  const setupPath = /\/setup\?code=[\w-]+/.exec(e2e.server.output())![0];
  expect((await fetch(`${e2e.server.url}/api/briefings`)).status).toBe(401);

  const admin = await freshPage();
  await admin.goto(`${e2e.server.url}/`);
  await admin.waitForURL(/\/signin\?next=/);
  await expect.poll(() => text(admin, 'setup-hint'), { timeout: 10_000 }).toContain('one-time setup link');
  await admin.screenshot({ path: join(ARTIFACTS, 'signin-first-run.png') });

  await admin.goto(`${e2e.server.url}${setupPath}`);
  await admin.getByTestId('account-name').fill(ADMIN.name);
  await admin.getByTestId('account-email').fill(ADMIN.email);
  await admin.getByTestId('account-password').fill(PASSWORD);
  await admin.getByTestId('account-password-repeat').fill(PASSWORD);
  await admin.getByTestId('setup-submit').click();
  await admin.waitForURL(`${e2e.server.url}/`);
  await expect.poll(() => text(admin, 'account-nav'), { timeout: 10_000 }).toContain(ADMIN.name);
  // The link worked once: the same code again is refused.
  const again = await fetch(`${e2e.server.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: setupPath.split('=')[1], name: 'X', email: 'x@example.org', password: PASSWORD }),
  });
  expect(again.status).toBe(403);

  // A workspace of its own, made from All workspaces.
  await admin.getByTestId('workspaces-nav').click();
  await admin.getByTestId('new-workspace-name').fill(WORKSPACE);
  await admin.getByTestId('create-workspace').click();
  await admin.waitForURL(/\/workspace$/);
  await expect.poll(() => text(admin, 'workspace-name'), { timeout: 10_000 }).toBe(WORKSPACE);
  await expect.poll(() => text(admin, 'my-role')).toBe('admin');

  // A briefing in it, with a first line.
  await admin.getByTestId('briefings-nav').click();
  await admin.getByTestId('new-briefing-title').fill('Era cryptophones in Kharkiv');
  await admin.getByTestId('create-briefing').click();
  await admin.waitForURL(/\/b\/[^/]+$/);
  const briefingPath = new URL(admin.url()).pathname;
  await admin.locator('[data-testid="section"][data-kind="bluf"] .ProseMirror').click();
  await admin.keyboard.type(WRITTEN);
  await expect.poll(() => text(admin, 'save-state'), { timeout: 15_000 }).toBe('saved');

  // An invitation link for a viewer.
  await admin.getByTestId('workspace-nav').click();
  await admin.getByTestId('invite-role').selectOption('viewer');
  await admin.getByTestId('invite-create-link').click();
  await expect.poll(() => admin.getByTestId('invite-link').inputValue(), { timeout: 10_000 }).toMatch(/\/invite\//);
  const link = await admin.getByTestId('invite-link').inputValue();
  await admin.screenshot({ path: join(ARTIFACTS, 'workspace-admin.png'), fullPage: true });

  // The viewer joins through the link with a new account, and lands in the workspace.
  const viewer = await freshPage();
  await viewer.goto(link);
  await expect.poll(() => text(viewer, 'invitation-summary'), { timeout: 10_000 }).toContain(`${WORKSPACE} as viewer`);
  await viewer.getByTestId('account-name').fill(VIEWER.name);
  await viewer.getByTestId('account-email').fill(VIEWER.email);
  await viewer.getByTestId('account-password').fill(PASSWORD);
  await viewer.getByTestId('account-password-repeat').fill(PASSWORD);
  await viewer.screenshot({ path: join(ARTIFACTS, 'invitation.png') });
  await viewer.getByTestId('invite-create').click();
  await viewer.waitForURL(`${e2e.server.url}/`);
  await expect.poll(() => viewer.getByTestId('briefing-link').count(), { timeout: 10_000 }).toBe(1);
  // A viewer creates nothing: neither a briefing nor a source is offered.
  expect(await viewer.getByTestId('new-briefing-title').count()).toBe(0);
  await viewer.getByTestId('sources-nav').click();
  await viewer.waitForURL(/\/sources$/);
  await expect
    .poll(() => viewer.getByRole('heading', { name: /source/i }).count(), { timeout: 10_000 })
    .toBeGreaterThan(0);
  expect(await viewer.getByTestId('import-paste').count()).toBe(0);
  await viewer.getByTestId('briefings-nav').click();

  // The viewer reads the briefing, is told why they cannot type, and their keys change nothing.
  await viewer.getByTestId('briefing-link').click();
  await viewer.waitForURL(`${e2e.server.url}${briefingPath}`);
  await expect.poll(() => editorText(viewer, 'bluf'), { timeout: 10_000 }).toBe(WRITTEN);
  await expect.poll(() => text(viewer, 'read-only-notice')).toContain('not change it');
  await viewer.locator('[data-testid="section"][data-kind="bluf"] .ProseMirror').click();
  await viewer.keyboard.type('The viewer was here.');
  expect(await editorText(viewer, 'bluf')).toBe(WRITTEN);
  // …but the admin's next words reach them live, with the admin's name in the presence list.
  await admin.goto(`${e2e.server.url}${briefingPath}`);
  await admin.locator('[data-testid="section"][data-kind="background"] .ProseMirror').click();
  await admin.keyboard.type(LATER);
  await expect.poll(() => editorText(viewer, 'background'), { timeout: 10_000 }).toBe(LATER);
  await expect.poll(() => text(viewer, 'presence')).toContain(ADMIN.name);
  await expect.poll(() => text(admin, 'presence')).toContain(VIEWER.name);
  await viewer.screenshot({ path: join(ARTIFACTS, 'viewer-read-only.png'), fullPage: true });
  // Nothing the viewer typed reached the server.
  await expect.poll(() => editorText(admin, 'bluf')).toBe(WRITTEN);

  // Removed from the workspace, the viewer's open editor is closed with the reason.
  await admin.getByTestId('workspace-nav').click();
  const row = admin.getByTestId('member-row').filter({ hasText: VIEWER.email });
  await row.getByTestId('member-remove').click();
  await expect.poll(() => admin.getByTestId('member-row').count(), { timeout: 10_000 }).toBe(1);
  await expect
    .poll(() => viewer.getByRole('alert').textContent(), { timeout: 10_000 })
    .toContain('You no longer have access to this briefing');

  // The audit log shows what happened, for the admin to browse and filter.
  await expect.poll(() => admin.getByTestId('audit-row').count(), { timeout: 10_000 }).toBeGreaterThan(3);
  await admin.getByTestId('audit-filter').selectOption('member.');
  await expect.poll(() => text(admin, 'audit-list'), { timeout: 10_000 }).toContain('member removed');
  await expect.poll(() => text(admin, 'audit-list')).not.toContain('workspace created');
  expect(await text(admin, 'audit-list')).not.toContain('invitation created');
  await admin.screenshot({ path: join(ARTIFACTS, 'workspace-audit.png'), fullPage: true });

  // Personal API tokens, shown once.
  await admin.getByTestId('account-nav').click();
  await admin.getByTestId('token-name').fill('nightly export');
  await admin.getByTestId('token-create').click();
  await expect.poll(() => text(admin, 'token-secret'), { timeout: 10_000 }).toMatch(/dbf_[0-9a-f-]{36}_/);
  const token = /dbf_\S+/.exec(await text(admin, 'token-secret'))![0];
  expect((await fetch(`${e2e.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  await admin.screenshot({ path: join(ARTIFACTS, 'account-tokens.png'), fullPage: true });
}, 180_000);
