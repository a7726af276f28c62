import { MessageType } from '@debrief/briefing';
import { can } from '@debrief/policy';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { ClientConnection } from './ClientConnection.ts';
import { MalformedMessageError } from './MalformedMessageError.ts';
import { awarenessMessage, permissionDeniedMessage, savedMessage, syncStep2Message } from './messages.ts';
import type { SharedDocument } from './SharedDocument.ts';

/**
 * Decodes one client frame and acts on it. Throws MalformedMessageError for anything that is
 * not the protocol; the caller closes the connection.
 */
export function receiveMessage(connection: ClientConnection, document: SharedDocument, frame: Uint8Array): void {
  const decoder = decoding.createDecoder(frame);
  try {
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        receiveSync(connection, document, decoder);
        return;
      case MessageType.Awareness:
        document.receiveAwareness(connection, decoding.readVarUint8Array(decoder));
        return;
      case MessageType.QueryAwareness:
        connection.send(awarenessMessage(document.awareness, [...document.awareness.getStates().keys()]));
        return;
      case MessageType.Auth:
        // Clients have nothing to say on the auth channel; the server only answers refusals.
        return;
      case MessageType.SavedQuery:
        document.sendWhenDurable(connection, savedMessage(decoding.readVarUint(decoder)));
        return;
      default:
        throw new MalformedMessageError(`unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error;
    throw new MalformedMessageError((error as Error).message, { cause: error });
  }
}

function receiveSync(connection: ClientConnection, document: SharedDocument, decoder: decoding.Decoder): void {
  const syncType = decoding.readVarUint(decoder);
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1: {
      const stateVector = decoding.readVarUint8Array(decoder);
      Y.decodeStateVector(stateVector);
      // Encoded now, sent once everything it contains is durable.
      document.sendWhenDurable(connection, syncStep2Message(document.doc, stateVector));
      return;
    }
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate: {
      const update = decoding.readVarUint8Array(decoder);
      if (!can(connection.principal, 'briefing.edit', document.resource)) {
        connection.send(permissionDeniedMessage('read_only'));
        return;
      }
      document.receiveUpdate(connection, update);
      return;
    }
    default:
      throw new MalformedMessageError(`unknown sync message type ${syncType}`);
  }
}
