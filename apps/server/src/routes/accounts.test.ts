import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.ts';
import { startBareServer } from '../testing.ts';

/** A browser-like client: keeps the cookies the server sets, sends its own origin. */
function browser(base: string) {
  const jar = new Map<string, string>();
  const call = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    if (!headers.has('origin')) headers.set('origin', base);
    const response = await fetch(`${base}${path}`, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (/Max-Age=0/i.test(cookie)) jar.delete(name!);
      else jar.set(name!, value.join('='));
    }
    return response;
  };
  return { call, jar };
}

const json = (body: unknown) => JSON.stringify(body);
const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe('accounts: first run, sign-in, sessions, tokens', () => {
  let server: RunningServer;
  const admin = { name: 'Ada Admin', email: 'ada@example.org', password: 'a long enough password' };

  beforeAll(async () => {
    server = await startBareServer();
  });
  afterAll(async () => server?.close());

  it('on a fresh database, prints a setup link and answers every API call 401 until it is used', async () => {
    expect(server.setupUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\?code=[A-Za-z0-9_-]{32}$/);
    const anonymous = browser(server.url);
    expect(await (await anonymous.call('/api/setup')).json()).toEqual({ required: true });
    for (const path of ['/api/briefings', '/api/sources', '/api/me', '/api/workspaces']) {
      const response = await anonymous.call(path);
      expect(response.status, path).toBe(401);
      expect(await codeOf(response)).toBe('unauthorized');
    }
  });

  it('refuses a wrong setup code, creates the first admin with the right one, and only once', async () => {
    const code = new URL(server.setupUrl!).searchParams.get('code')!;
    const first = browser(server.url);
    const wrong = await first.call('/api/setup', { method: 'POST', body: json({ ...admin, code: `${code}x` }) });
    expect(wrong.status).toBe(403);
    expect(await codeOf(wrong)).toBe('setup_unavailable');

    const created = await first.call('/api/setup', { method: 'POST', body: json({ ...admin, code }) });
    expect(created.status).toBe(201);
    // Signed in at once, as an HTTP-only, SameSite=Lax session cookie.
    expect(created.headers.getSetCookie().join('\n')).toMatch(/session_token=.*HttpOnly.*SameSite=Lax/i);
    const me = (await (await first.call('/api/me')).json()) as {
      user: { email: string; instanceAdmin: boolean };
      workspaces: Array<{ name: string; role: string }>;
    };
    expect(me.user).toMatchObject({ email: admin.email, instanceAdmin: true });
    expect(me.workspaces).toEqual([expect.objectContaining({ name: 'Default', role: 'admin' })]);

    const again = await browser(server.url).call('/api/setup', { method: 'POST', body: json({ ...admin, code }) });
    expect(again.status).toBe(403);
    expect(await (await browser(server.url).call('/api/setup')).json()).toEqual({ required: false });
  });

  it('gives the same answer for an unknown email and a wrong password, and a new session per sign-in', async () => {
    const answers = [];
    for (const credentials of [
      { email: admin.email, password: 'not the password at all' },
      { email: 'nobody@example.org', password: 'not the password at all' },
    ]) {
      const response = await browser(server.url).call('/api/auth/sign-in/email', {
        method: 'POST',
        body: json(credentials),
      });
      answers.push({ status: response.status, body: await response.json() });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.status).toBe(401);
    expect(answers[0]!.body).toEqual({
      error: { code: 'invalid_credentials', message: 'The email or password is not right.' },
    });

    const one = browser(server.url);
    const two = browser(server.url);
    for (const client of [one, two]) {
      const response = await client.call('/api/auth/sign-in/email', {
        method: 'POST',
        body: json({ email: admin.email, password: admin.password }),
      });
      expect(response.status).toBe(200);
    }
    expect([...one.jar.values()][0]).not.toBe([...two.jar.values()][0]);
    const audit = await server.db.prisma.auditEvent.findMany({ where: { action: { startsWith: 'user.sign' } } });
    expect(audit.map((a) => a.action).sort()).toEqual([
      'user.sign_in_failed',
      'user.sign_in_failed',
      'user.signed_in',
      'user.signed_in',
    ]);
    expect(audit.find((a) => a.actorEmail === 'nobody@example.org')?.action).toBe('user.sign_in_failed');
  });

  it('refuses a cookie-authenticated change from another site (CSRF), and allows it from its own pages', async () => {
    const client = browser(server.url);
    await client.call('/api/auth/sign-in/email', {
      method: 'POST',
      body: json({ email: admin.email, password: admin.password }),
    });
    const foreign = await client.call('/api/briefings', {
      method: 'POST',
      body: json({ title: 'From elsewhere' }),
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(await codeOf(foreign)).toBe('forbidden_origin');
    const own = await client.call('/api/briefings', { method: 'POST', body: json({ title: 'From here' }) });
    expect(own.status).toBe(201);
  });

  it('issues a token shown once, accepts it as Bearer, records its use, and refuses it once revoked', async () => {
    const client = browser(server.url);
    await client.call('/api/auth/sign-in/email', {
      method: 'POST',
      body: json({ email: admin.email, password: admin.password }),
    });
    const created = (await (
      await client.call('/api/me/tokens', { method: 'POST', body: json({ name: 'script' }) })
    ).json()) as {
      id: string;
      token: string;
    };
    expect(created.token).toMatch(/^dbf_/);
    const stored = await server.db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(stored)).not.toContain(created.token.split('_').pop()!);

    const withToken = await fetch(`${server.url}/api/briefings`, {
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(withToken.status).toBe(200);
    const listed = (await (await client.call('/api/me/tokens')).json()) as {
      tokens: Array<{ id: string; lastUsedAt: string | null }>;
    };
    expect(listed.tokens.find((t) => t.id === created.id)?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);

    expect((await client.call(`/api/me/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await fetch(`${server.url}/api/briefings`, {
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(revoked.status).toBe(401);
    const forged = await fetch(`${server.url}/api/briefings`, {
      headers: { authorization: `Bearer dbf_${created.id}_${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
  });

  it('changes the password (the old one stops working, other sessions end) and signs out everywhere', async () => {
    const here = browser(server.url);
    const elsewhere = browser(server.url);
    for (const client of [here, elsewhere]) {
      await client.call('/api/auth/sign-in/email', {
        method: 'POST',
        body: json({ email: admin.email, password: admin.password }),
      });
    }
    const refused = await here.call('/api/me/password', {
      method: 'POST',
      body: json({ currentPassword: 'wrong wrong wrong', newPassword: 'a brand new password' }),
    });
    expect(refused.status).toBe(400);
    const changed = await here.call('/api/me/password', {
      method: 'POST',
      body: json({ currentPassword: admin.password, newPassword: 'a brand new password' }),
    });
    expect(changed.status).toBe(204);
    expect((await elsewhere.call('/api/me')).status).toBe(401);
    const oldPassword = await browser(server.url).call('/api/auth/sign-in/email', {
      method: 'POST',
      body: json({ email: admin.email, password: admin.password }),
    });
    expect(oldPassword.status).toBe(401);
    admin.password = 'a brand new password';

    expect((await here.call('/api/me')).status).toBe(200);
    expect((await here.call('/api/me/sign-out-everywhere', { method: 'POST' })).status).toBe(204);
    expect((await here.call('/api/me')).status).toBe(401);
  });
});

describe('guessing the setup code', () => {
  it('is limited per address like sign-in: past SIGN_IN_PER_MINUTE attempts a minute, 429', async () => {
    const server = await startBareServer({ SIGN_IN_PER_MINUTE: 3 });
    try {
      const attempt = () =>
        browser(server.url).call('/api/setup', {
          method: 'POST',
          body: json({ code: 'a guess', name: 'Mallory', email: 'mallory@example.org', password: 'long enough guess' }),
        });
      for (let i = 0; i < 3; i++) expect(await codeOf(await attempt())).toBe('setup_unavailable');
      const limited = await attempt();
      expect(limited.status).toBe(429);
      expect(await codeOf(limited)).toBe('rate_limited');
      // The rightful administrator, from the same address, waits out the minute; nothing was made.
      expect(await server.db.prisma.user.count()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('guessing passwords', () => {
  it('is limited per address: past SIGN_IN_PER_MINUTE attempts a minute, 429; each server counts its own', async () => {
    const [limited, other] = await Promise.all([
      startBareServer({ SIGN_IN_PER_MINUTE: 3 }),
      startBareServer({ SIGN_IN_PER_MINUTE: 3 }),
    ]);
    try {
      const guess = (server: RunningServer) =>
        browser(server.url).call('/api/auth/sign-in/email', {
          method: 'POST',
          body: json({ email: 'nobody@example.org', password: 'a wrong guess' }),
        });
      for (let i = 0; i < 3; i++) expect((await guess(limited)).status).toBe(401);
      const refused = await guess(limited);
      expect(refused.status).toBe(429);
      expect(await codeOf(refused)).toBe('rate_limited');
      // The other server in this process has its own count: its first guess is only a wrong one.
      expect((await guess(other)).status).toBe(401);
    } finally {
      await Promise.all([limited.close(), other.close()]);
    }
  });
});
