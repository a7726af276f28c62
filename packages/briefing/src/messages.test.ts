import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeClientMessage, ProtocolError, savedQueryMessage, syncStep1Message, updateMessage } from './messages.ts';
import { MessageType } from './protocol.ts';

describe('the collaboration wire messages', () => {
  it('decodes what the encoders write', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('title', 'x');
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeClientMessage(syncStep1Message(doc))).toEqual({
      type: 'sync-step-1',
      stateVector: Y.encodeStateVector(doc),
    });
    expect(decodeClientMessage(updateMessage(update))).toEqual({ type: 'update', update });
    expect(decodeClientMessage(savedQueryMessage(7))).toEqual({ type: 'saved-query', sequence: 7 });
    expect(decodeClientMessage(new Uint8Array([MessageType.QueryAwareness]))).toEqual({ type: 'query-awareness' });
  });

  it.each([
    ['an empty frame', []],
    ['an unknown type', [42]],
    ['an unknown sync step', [MessageType.Sync, 9, 0]],
    ['a truncated length', [MessageType.Sync, 2, 200]],
    ['a varint past 2^53', [MessageType.SavedQuery, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]],
    ['bytes after the message', [MessageType.QueryAwareness, 0]],
  ])('refuses %s with a ProtocolError and nothing else', (_what, bytes) => {
    expect(() => decodeClientMessage(new Uint8Array(bytes))).toThrow(ProtocolError);
  });

  it('refuses every truncation of a valid frame', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Awareness);
    encoding.writeVarUint8Array(encoder, new Uint8Array(300).fill(7));
    const frame = encoding.toUint8Array(encoder);
    for (let cut = 0; cut < frame.length; cut++) {
      expect(() => decodeClientMessage(frame.subarray(0, cut))).toThrow(ProtocolError);
    }
  });
});
