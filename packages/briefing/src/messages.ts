import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { MessageType } from './protocol.ts';

/**
 * Every message of the collaboration protocol (y-protocols plus Debrief's saved-query), encoded
 * and decoded in one place that server and web client share, so the wire layout is written once.
 */

/** What a client can send, decoded: a discriminated union the server switches on. */
export type ClientMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' }
  | { type: 'saved-query'; sequence: number };

/** A frame that does not follow the protocol or breaks an input limit. Closes that connection (4400). */
export class ProtocolError extends Error {
  readonly code = 'malformed_message';
}

/**
 * Decodes one frame. Total: anything that is not the protocol (unknown types, truncated varints,
 * trailing bytes) throws ProtocolError, never another error. Payloads are not decoded further
 * here: updates and awareness states are checked against the limits by the server.
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const message = readMessage(decoder);
    if (decoding.hasContent(decoder)) throw new ProtocolError('bytes after the message');
    return message;
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`undecodable frame: ${(error as Error).message}`);
  }
}

function readMessage(decoder: decoding.Decoder): ClientMessage {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) {
        return { type: 'sync-step-1', stateVector: decoding.readVarUint8Array(decoder) };
      }
      if (step === syncProtocol.messageYjsSyncStep2)
        return { type: 'sync-step-2', update: decoding.readVarUint8Array(decoder) };
      if (step === syncProtocol.messageYjsUpdate)
        return { type: 'update', update: decoding.readVarUint8Array(decoder) };
      throw new ProtocolError(`unknown sync message type ${step}`);
    }
    case MessageType.Awareness:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MessageType.QueryAwareness:
      return { type: 'query-awareness' };
    case MessageType.Auth:
      // Clients have nothing to say on the auth channel; whatever follows is ignored.
      decoder.pos = decoder.arr.length;
      return { type: 'auth' };
    case MessageType.SavedQuery:
      return { type: 'saved-query', sequence: decoding.readVarUint(decoder) };
    default:
      throw new ProtocolError(`unknown message type ${type}`);
  }
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

export function permissionDeniedMessage(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/**
 * Debrief's saved-query, both ways: the client asks with a number, the server answers with the
 * same number once everything that connection sent before it is committed.
 */
export function savedQueryMessage(sequence: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.SavedQuery);
  encoding.writeVarUint(encoder, sequence);
  return encoding.toUint8Array(encoder);
}

/** Reads the server's saved answer after its type (as a y-websocket message handler sees it). */
export const readSavedAnswer = (decoder: decoding.Decoder): number => decoding.readVarUint(decoder);
