import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from '../testing.ts';

/** Invitations mailed through a real SMTP server when SMTP_URL is set, with the link in the mail. */
describe('invitations by email', () => {
  const received: Array<{ to: string[]; body: string }> = [];
  let smtp: SMTPServer;
  let server: TestServer;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    server = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('mails the link to the invited address, and the link in the mail opens the invitation', async () => {
    const { status, body } = await postJson<{ link: string; emailed: boolean }>(
      `${server.url}/api/workspaces/${server.account.workspaceId}/invitations`,
      { role: 'editor', email: 'new.person@example.org' },
    );
    expect(status).toBe(201);
    expect(body.emailed).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['new.person@example.org']);
    // Quoted-printable may fold long lines: unfold before looking for the link.
    const mail = received[0]!.body.replace(/=\r?\n/g, '');
    expect(mail).toContain(body.link);
    const token = body.link.split('/').pop();
    const invitation = await fetch(`${server.url}/api/invitations/${token}`);
    expect(await invitation.json()).toMatchObject({ role: 'editor', email: 'new.person@example.org' });
  });
});
