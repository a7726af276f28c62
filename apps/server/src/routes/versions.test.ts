import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BriefingJSON,
  getExcerpts,
  getLessons,
  getSchemaVersion,
  getSections,
  getTitle,
  richTextToPlainText,
} from '@debrief/briefing';
import { bytes } from '@debrief/db';
import { describeQuote, excerptSelectors } from '@debrief/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPerson,
  type Client,
  connectClient,
  createBriefing,
  getJson,
  postJson,
  SAMPLE_SOURCES_DIR,
  startTestServer,
  type TestServer,
  typeParagraph,
  waitFor,
} from '../testing.ts';

interface Version {
  id: string;
  name: string | null;
  kind: 'named' | 'automatic';
  createdBy: { name: string } | null;
}

/** Named versions, automatic checkpoints, preview and restore, with stock clients connected. */
describe('versions of a briefing', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const open = async (id: string, params: Record<string, string> = {}) => {
    const c = connectClient(server.url, id, params);
    clients.push(c);
    await c.synced;
    return c;
  };
  const versions = async (id: string) =>
    (await getJson<{ versions: Version[] }>(`${server.url}/api/briefings/${id}/versions`)).body.versions;

  beforeAll(async () => {
    server = await startTestServer({ PROJECTION_DELAY_MS: 20 });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('names a version, previews it read only, and restores it live for a connected client', async () => {
    const id = await createBriefing(server.url, 'Sent version');
    const editor = await open(id);
    typeParagraph(editor.doc, 0, 'What the commander read.');
    const named = await postJson<Version>(`${server.url}/api/briefings/${id}/versions`, { name: 'Sent to commander' });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ name: 'Sent to commander', kind: 'named', createdBy: { name: 'Test Admin' } });

    typeParagraph(editor.doc, 0, 'Written after it was sent.');
    getLessons(editor.doc)[0] && editor.doc.getArray('lessons').delete(0, 1);
    await waitFor(() => getLessons(editor.doc).length === 0);

    const preview = await getJson<{ briefing: BriefingJSON }>(
      `${server.url}/api/briefings/${id}/versions/${named.body.id}`,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.briefing.lessons).toHaveLength(1);
    expect(JSON.stringify(preview.body.briefing.sections[0]!.body)).toContain('What the commander read.');
    expect(JSON.stringify(preview.body.briefing.sections[0]!.body)).not.toContain('Written after');

    const watcher = await open(id);
    const restored = await postJson<{ restored: Version; restorePoint: Version }>(
      `${server.url}/api/briefings/${id}/versions/${named.body.id}/restore`,
      {},
    );
    expect(restored.status).toBe(200);
    expect(restored.body.restorePoint.name).toBe('Before restoring “Sent to commander”');
    const blufOf = (c: Client) => richTextToPlainText(getSections(c.doc)[0]!.body);
    await waitFor(() => getLessons(watcher.doc).length === 1, 10_000, 'the restore to reach the client');
    expect(blufOf(watcher)).toBe('What the commander read.');
    await waitFor(() => blufOf(editor) === 'What the commander read.');

    // Nothing is lost: restoring the version from before the restore brings the later text back.
    await postJson(`${server.url}/api/briefings/${id}/versions/${restored.body.restorePoint.id}/restore`, {});
    await waitFor(() => getLessons(watcher.doc).length === 0, 10_000, 'the undo to reach the client');
    expect(blufOf(watcher)).toBe('What the commander read.\n\nWritten after it was sent.');
    expect((await versions(id)).map((v) => v.name)).toEqual([
      'Before restoring “Before restoring “Sent to commander””',
      'Before restoring “Sent to commander”',
      'Sent to commander',
      null,
    ]);
  });

  it('lists compaction checkpoints as automatic versions and keeps the earlier ones', async () => {
    const id = await createBriefing(server.url);
    const editor = await open(id);
    const typeAndCompact = async (text: string) => {
      typeParagraph(editor.doc, 0, text);
      await server.registry.use(id, async (document) => {
        await waitFor(() => richTextToPlainText(getSections(document.doc)[0]!.body).endsWith(text));
        await document.compact();
      });
    };
    await typeAndCompact('first');
    await typeAndCompact('second');
    const listed = await versions(id);
    expect(listed.map((v) => v.kind)).toEqual(['automatic', 'automatic', 'automatic']);
    const texts = await Promise.all(
      listed.map(async (v) => {
        const { body } = await getJson<{ briefing: BriefingJSON }>(
          `${server.url}/api/briefings/${id}/versions/${v.id}`,
        );
        return JSON.stringify(body.briefing.sections[0]!.body).match(/"text":"(\w+)"/g)?.length ?? 0;
      }),
    );
    expect(texts).toEqual([2, 1, 0]);
  });

  it('lets only leads name and restore versions, and answers 404 for a version of another briefing', async () => {
    const id = await createBriefing(server.url);
    const otherId = await createBriefing(server.url);
    const editor = await addPerson(server, 'editor');
    const viewer = await addPerson(server, 'viewer');
    const as = (token: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await as(editor.token, `/api/briefings/${id}/versions`, { name: 'Mine' })).status).toBe(403);
    expect((await as(viewer.token, `/api/briefings/${id}/versions`)).status).toBe(200);
    const [checkpoint] = await versions(otherId);
    expect((await getJson(`${server.url}/api/briefings/${id}/versions/${checkpoint!.id}`)).status).toBe(404);
    expect((await as(editor.token, `/api/briefings/${id}/versions/${checkpoint!.id}/restore`, {})).status).toBe(403);
    const badName = await postJson<{ error: { message: string } }>(`${server.url}/api/briefings/${id}/versions`, {
      name: '',
    });
    expect(badName.body.error.message).toBe('name: Give the version a name.');
  });

  it('opens a briefing stored by schema version 1 upgraded, its excerpt still anchored in its source', async () => {
    const content = readFileSync(join(SAMPLE_SOURCES_DIR, '003_bf3c4a421ac649b4.txt'), 'utf8');
    const saved = await postJson<{ id: string }>(`${server.url}/api/sources`, {
      format: 'text',
      content,
      acceptedCleaning: [],
    });
    const { body: source } = await getJson<{ text: string }>(`${server.url}/api/sources/${saved.body.id}`);
    const phrase = source.text.slice(200, 260).trim();
    const anchor = describeQuote(source.text, source.text.indexOf(phrase), source.text.indexOf(phrase) + phrase.length);
    // Version 1's layout, written as the version 1 server stored it: meta and five sections.
    const doc = new Y.Doc();
    const sections = doc.getArray<Y.Map<unknown>>('sections');
    doc.transact(() => {
      doc.getMap('meta').set('schemaVersion', 1);
      doc.getMap('meta').set('title', 'Stored before lessons existed');
      for (const kind of ['bluf', 'observations', 'discussion', 'conclusions', 'recommendations']) {
        const section = new Y.Map<unknown>();
        section.set('id', globalThis.crypto.randomUUID());
        section.set('kind', kind);
        section.set('heading', kind);
        section.set('body', new Y.XmlFragment());
        sections.push([section]);
      }
    });
    const excerpt = new Y.XmlElement('excerpt');
    (sections.get(1).get('body') as Y.XmlFragment).push([excerpt]);
    const attrs = {
      excerptId: globalThis.crypto.randomUUID(),
      sourceId: saved.body.id,
      ...excerptSelectors(anchor),
      note: '',
      status: 'anchored',
    };
    for (const [key, value] of Object.entries(attrs)) excerpt.setAttribute(key, value as string);
    const { workspaceId } = server.account;
    const row = await server.db.prisma.briefing.create({
      data: {
        workspaceId,
        title: 'Stored before lessons existed',
        snapshots: { create: { state: bytes(Y.encodeStateAsUpdate(doc)), upToSeq: 0n } },
      },
    });

    const reader = await open(row.id);
    expect(getSchemaVersion(reader.doc)).toBe(2);
    expect(getTitle(reader.doc)).toBe('Stored before lessons existed');
    expect(getSections(reader.doc).map((s) => s.kind)).toEqual([
      'bluf',
      'observations',
      'discussion',
      'conclusions',
      'lessons',
      'recommendations',
    ]);
    await expect
      .poll(async () => {
        const { body } = await getJson<{ citations: Array<{ excerptId: string; status: string }> }>(
          `${server.url}/api/briefings/${row.id}/citations`,
        );
        return body.citations.map((c) => [c.excerptId, c.status]);
      })
      .toEqual([[attrs.excerptId, 'anchored']]);
    expect(getExcerpts(reader.doc)[0]).toMatchObject({ excerptId: attrs.excerptId, status: 'anchored' });
  });
});
