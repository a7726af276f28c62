import {
  awarenessMessage,
  decodeClientMessage,
  ProtocolError,
  permissionDeniedMessage,
  savedQueryMessage,
} from '@debrief/briefing';
import * as Y from 'yjs';
import type { ClientConnection } from './ClientConnection.ts';
import { editRefusal } from './editAccess.ts';
import type { SharedDocument } from './SharedDocument.ts';

/**
 * Decodes one client frame and acts on it. Throws ProtocolError for anything that is not the
 * protocol or breaks an input limit; the caller closes the connection (4400).
 */
export function receiveMessage(connection: ClientConnection, document: SharedDocument, frame: Uint8Array): void {
  const message = decodeClientMessage(frame);
  switch (message.type) {
    case 'sync-step-1': {
      try {
        Y.decodeStateVector(message.stateVector);
      } catch {
        throw new ProtocolError('undecodable state vector');
      }
      // Encoded now, sent once everything it contains is durable.
      document.sendWhenDurable(connection, document.syncReply(message.stateVector));
      return;
    }
    case 'sync-step-2':
    case 'update': {
      const refusal = editRefusal(connection.principal, document);
      if (refusal) {
        connection.send(permissionDeniedMessage(refusal));
        return;
      }
      document.receiveUpdate(connection, message.update, (reason) => connection.send(permissionDeniedMessage(reason)));
      return;
    }
    case 'awareness':
      document.receiveAwareness(connection, message.update);
      return;
    case 'query-awareness':
      connection.send(awarenessMessage(document.awareness, [...document.awareness.getStates().keys()]));
      return;
    case 'auth':
      // Clients have nothing to say on the auth channel; the server only answers refusals.
      return;
    case 'saved-query':
      document.sendWhenDurable(connection, savedQueryMessage(message.sequence));
      return;
  }
}
