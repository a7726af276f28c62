import { ROOT_META, ROOT_SECTIONS } from '@debrief/briefing';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { serverOwnedKeyTouched } from './editAccess.ts';

/** The server's document, with a status and a title, and a client that has synced it. */
function synced() {
  const server = new Y.Doc();
  server.transact(() => {
    server.getMap(ROOT_META).set('status', 'draft');
    server.getMap(ROOT_META).set('title', 'Lessons');
  });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  /** What the client's change sends to the server. */
  const change = (edit: (doc: Y.Doc) => void): Uint8Array => {
    const before = Y.encodeStateVector(client);
    client.transact(() => edit(client));
    return Y.encodeStateAsUpdate(client, before);
  };
  return { server, change };
}

describe('serverOwnedKeyTouched', () => {
  it('names the status when a client writes it, deletes it, or writes it several times in one update', () => {
    const { server, change } = synced();
    expect(
      serverOwnedKeyTouched(
        change((doc) => doc.getMap(ROOT_META).set('status', 'final')),
        server,
      ),
    ).toBe('status');
    const { server: other, change: changeOther } = synced();
    expect(
      serverOwnedKeyTouched(
        changeOther((doc) => doc.getMap(ROOT_META).delete('status')),
        other,
      ),
    ).toBe('status');
    const { server: third, change: changeThird } = synced();
    const overwrites = changeThird((doc) => {
      for (let i = 0; i < 50; i++) doc.getMap(ROOT_META).set('schemaVersion', i);
    });
    expect(serverOwnedKeyTouched(overwrites, third)).toBe('schemaVersion');
  });

  it('lets other meta keys and content through', () => {
    const { server, change } = synced();
    expect(
      serverOwnedKeyTouched(
        change((doc) => doc.getMap(ROOT_META).set('title', 'Renamed')),
        server,
      ),
    ).toBeNull();
  });

  it('resolves an update of 100,000 items each naming the previous one, as a long paste makes', () => {
    // Each Y.Map is a struct of its own (types never merge), whose only link to its parent is the
    // item before it: resolved item by item recursively, this overflowed the stack.
    const { server, change } = synced();
    const paste = change((doc) =>
      doc.getArray<Y.Map<unknown>>(ROOT_SECTIONS).push(Array.from({ length: 100_000 }, () => new Y.Map())),
    );
    expect(Y.decodeUpdate(paste).structs.length).toBeGreaterThanOrEqual(100_000);
    expect(serverOwnedKeyTouched(paste, server)).toBeNull();
  });
});
