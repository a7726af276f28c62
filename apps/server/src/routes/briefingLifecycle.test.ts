import {
  addLesson,
  BRIEFING_SCHEMA_VERSION,
  briefingToJSON,
  getLessons,
  getSchemaVersion,
  getStatus,
  getTemplate,
  getTitle,
  MessageType,
  richTextToPlainText,
  updateLesson,
} from '@debrief/briefing';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPerson,
  authFetch,
  type Client,
  connectClient,
  createBriefing,
  getJson,
  postJson,
  startTestServer,
  type TestServer,
  waitFor,
} from '../testing.ts';

/** Templates, status, archive and search over HTTP, with stock y-websocket clients watching. */

const lessonText = (doc: Y.Doc, index: number) => richTextToPlainText(getLessons(doc)[index]!.bodies.observation);

function typeInto(body: Y.XmlFragment, text: string): void {
  body.doc!.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    const content = new Y.XmlText();
    paragraph.insert(0, [content]);
    content.insert(0, text);
    body.push([paragraph]);
  });
}

/** Permission-denied reasons the server sends a provider. */
function deniedReasons(client: Client): string[] {
  const denied: string[] = [];
  client.provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) denied.push(decoding.readVarString(decoder));
  };
  return denied;
}

describe('the lessons-learned briefing over HTTP and live connections', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const client = (id: string, params: Record<string, string> = {}) => {
    const c = connectClient(server.url, id, params);
    clients.push(c);
    return c;
  };
  const as =
    (token: string) =>
    (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...init.headers },
      });

  beforeAll(async () => {
    server = await startTestServer({ PROJECTION_DELAY_MS: 20 });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('creates a briefing from the template asked for, and says which templates there are when it is not one', async () => {
    const created = await postJson<{ id: string }>(`${server.url}/api/briefings`, {
      title: 'Exercise review',
      template: 'after-action-review',
    });
    expect(created.status).toBe(201);
    const reader = client(created.body.id);
    await reader.synced;
    expect(getTemplate(reader.doc)).toBe('after-action-review');
    expect(briefingToJSON(reader.doc).sections.map((s) => s.heading)).toEqual([
      'Bottom line up front',
      'What was planned',
      'What happened',
      'Why it happened',
      'Sustain',
      'Improve',
    ]);
    const refused = await postJson<{ error: { message: string } }>(`${server.url}/api/briefings`, {
      title: 'X',
      template: 'memo',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('template: must be one of lessons-learned, after-action-review, blank');
  });

  it('says the title limit in words instead of cutting a long title', async () => {
    const refused = await postJson<{ error: { message: string } }>(`${server.url}/api/briefings`, {
      title: 'x'.repeat(230),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('title: A title can be at most 200 characters; this one has 230.');
    const empty = await postJson<{ error: { message: string } }>(`${server.url}/api/briefings`, { title: ' ' });
    expect(empty.body.error.message).toBe('title: Give the briefing a title.');
  });

  it('converges two stock clients editing lessons at once', async () => {
    const id = await createBriefing(server.url);
    const [a, b] = [client(id), client(id)];
    await Promise.all([a.synced, b.synced]);
    const first = getLessons(a.doc)[0]!.id;
    addLesson(b.doc, { title: 'Era phones lost their keys' });
    updateLesson(a.doc, first, { title: 'Dial-in defeats a certified platform', capabilityArea: 'policy' });
    typeInto(getLessons(a.doc)[0]!.bodies.observation, 'An officer dialled in from a hotel.');
    updateLesson(b.doc, first, { owner: 'J6' });
    typeInto(getLessons(b.doc)[0]!.bodies.observation, 'The recording was published.');
    const same = () => JSON.stringify(briefingToJSON(a.doc)) === JSON.stringify(briefingToJSON(b.doc));
    await waitFor(() => same() && getLessons(a.doc).length === 2 && lessonText(a.doc, 0).includes('published'));
    expect(getLessons(a.doc)[0]).toMatchObject({
      title: 'Dial-in defeats a certified platform',
      capabilityArea: 'policy',
      owner: 'J6',
    });
    expect(lessonText(b.doc, 0).split('\n\n').sort()).toEqual([
      'An officer dialled in from a hotel.',
      'The recording was published.',
    ]);
    // And the server stored what both see.
    const stored = await server.registry.use(id, (document) => JSON.stringify(briefingToJSON(document.doc)));
    expect(stored).toBe(JSON.stringify(briefingToJSON(a.doc)));
  });

  it('locks a final briefing for editors on the server, not for a lead, and only a lead reopens it', async () => {
    const id = await createBriefing(server.url, 'To be finalised');
    const editor = await addPerson(server, 'editor', 'Erin Editor');
    const lead = await addPerson(server, 'lead', 'Lee Lead');
    const asEditor = as(editor.token);
    const asLead = as(lead.token);

    const finalByEditor = await asEditor(`/api/briefings/${id}/status`, {
      method: 'PUT',
      body: JSON.stringify({ status: 'final' }),
    });
    expect(finalByEditor.status).toBe(403);
    expect(((await finalByEditor.json()) as { error: { message: string } }).error.message).toBe(
      'Only a lead can make a briefing final.',
    );
    expect(
      (await asEditor(`/api/briefings/${id}/status`, { method: 'PUT', body: '{"status":"in_review"}' })).status,
    ).toBe(200);

    const editors = client(id, { token: editor.token });
    const leads = client(id, { token: lead.token });
    const denied = deniedReasons(editors);
    await Promise.all([editors.synced, leads.synced]);
    const made = await asLead(`/api/briefings/${id}/status`, { method: 'PUT', body: '{"status":"final"}' });
    expect(await made.json()).toMatchObject({ status: 'final' });
    await waitFor(() => getStatus(editors.doc) === 'final', 10_000, 'the editor to see the briefing final');

    typeInto(getLessons(editors.doc)[0]!.bodies.observation, 'written by an editor after it was final');
    await waitFor(() => denied.includes('final'), 10_000, 'the refusal');
    typeInto(getLessons(leads.doc)[0]!.bodies.discussion, 'a lead may still correct it');
    await waitFor(
      () => richTextToPlainText(getLessons(editors.doc)[0]!.bodies.discussion) !== '',
      10_000,
      'the lead’s edit',
    );
    const stored = await server.registry.use(id, (document) => ({
      observation: lessonText(document.doc, 0),
      discussion: richTextToPlainText(getLessons(document.doc)[0]!.bodies.discussion),
    }));
    expect(stored).toEqual({ observation: '', discussion: 'a lead may still correct it' });

    const reopenByEditor = await asEditor(`/api/briefings/${id}/status`, { method: 'PUT', body: '{"status":"draft"}' });
    expect(reopenByEditor.status).toBe(403);
    expect((await asLead(`/api/briefings/${id}/status`, { method: 'PUT', body: '{"status":"draft"}' })).status).toBe(
      200,
    );
    expect((await getJson<{ status: string }>(`${server.url}/api/briefings/${id}`)).body.status).toBe('draft');
  });

  it('refuses a client that writes the status itself, whatever its role', async () => {
    const id = await createBriefing(server.url);
    const writer = client(id);
    const denied = deniedReasons(writer);
    await writer.synced;
    writer.doc.getMap('meta').set('status', 'final');
    await waitFor(() => denied.includes('status_by_api'), 10_000, 'the refusal');
    const status = await server.registry.use(id, (document) => getStatus(document.doc));
    expect(status).toBe('draft');
  });

  it('refuses a client that writes the schema version, so no one can make a briefing unloadable', async () => {
    const id = await createBriefing(server.url);
    const writer = client(id);
    const denied = deniedReasons(writer);
    await writer.synced;
    writer.doc.getMap('meta').set('schemaVersion', 99);
    await waitFor(() => denied.includes('server_owned'), 10_000, 'the refusal');
    expect(await server.registry.use(id, (document) => getSchemaVersion(document.doc))).toBe(BRIEFING_SCHEMA_VERSION);
    // Stored too: after the document unloads, a fresh client still loads the briefing.
    writer.destroy();
    await server.registry.evict(id, 1001, 'test');
    const reader = client(id);
    await reader.synced;
    expect(getSchemaVersion(reader.doc)).toBe(BRIEFING_SCHEMA_VERSION);
  });

  it('archives, lists archived ones apart, and searches titles and text', async () => {
    const id = await createBriefing(server.url, 'Era cryptophone failures');
    const other = await createBriefing(server.url, 'Unrelated exercise');
    const writer = client(id);
    await writer.synced;
    typeInto(getLessons(writer.doc)[0]!.bodies.observation, 'Units fell back to open Motorola radios near Kharkiv.');
    type Listed = { briefings: Array<{ id: string; title: string; snippet: string | null }> };
    await expect
      .poll(async () =>
        (await getJson<Listed>(`${server.url}/api/briefings?q=motorola`)).body.briefings.map((b) => b.id),
      )
      .toEqual([id]);
    const [hit] = (await getJson<Listed>(`${server.url}/api/briefings?q=MOTOROLA`)).body.briefings;
    expect(hit!.snippet).toBe('Units fell back to open Motorola radios near Kharkiv.');
    expect((await getJson<Listed>(`${server.url}/api/briefings?q=cryptophone`)).body.briefings).toEqual([
      expect.objectContaining({ id, snippet: null }),
    ]);

    const archived = await authFetch(`${server.url}/api/briefings/${id}/archived`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ archived: true }),
    });
    expect(await archived.json()).toMatchObject({ id, archivedAt: expect.any(String) });
    const listed = (await getJson<Listed>(`${server.url}/api/briefings`)).body.briefings.map((b) => b.id);
    expect(listed).toContain(other);
    expect(listed).not.toContain(id);
    expect(
      (await getJson<Listed>(`${server.url}/api/briefings?archived=true`)).body.briefings.map((b) => b.id),
    ).toEqual([id]);
    // Archived, not gone: it opens as before.
    expect(getTitle(writer.doc)).toBe('Era cryptophone failures');
    const editor = await addPerson(server, 'editor');
    expect(
      (await as(editor.token)(`/api/briefings/${id}/archived`, { method: 'PUT', body: '{"archived":false}' })).status,
    ).toBe(403);
  });
});
