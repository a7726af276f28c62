/**
 * The collaboration wire protocol shared by server and client: y-websocket's message types plus
 * Debrief's own, and the close codes both sides interpret. Stock y-websocket clients never send
 * our own types, so the server never sends them unasked.
 */
export const COLLAB_PROTOCOL_VERSION = 1;

export const MessageType = {
  /** y-protocols/sync: step 1, step 2, update. */
  Sync: 0,
  /** y-protocols/awareness update. */
  Awareness: 1,
  /** y-protocols/auth: permission denied, with a reason. */
  Auth: 2,
  /** Asks the server to resend every awareness state it knows. */
  QueryAwareness: 3,
  /**
   * Debrief: "tell me when all I sent so far is durable". The server answers with the same
   * type and the varUint the client sent, once every earlier update of that connection is
   * committed to the database log.
   */
  SavedQuery: 100,
} as const;

export const CloseCode = {
  /** The server is going away (shutdown); clients reconnect. */
  GoingAway: 1001,
  /** A frame was larger than the server accepts. */
  MessageTooBig: 1009,
  /** A frame the protocol cannot decode; only that connection is closed. */
  MalformedMessage: 4400,
  /** No valid session or token. */
  Unauthorized: 4401,
  /** Authenticated, but no access to this briefing (or access was revoked). */
  Forbidden: 4403,
  /** The briefing does not exist (or was deleted while open). */
  NotFound: 4404,
  /**
   * The briefing's stored history failed the server's checks and cannot be opened; nothing was
   * changed or deleted, and an administrator can repair it (docs/operations.md).
   */
  Unloadable: 4422,
  /** Too many messages in too short a time. */
  RateLimited: 4429,
  /**
   * Too many connections: to this briefing, or of this user, on the server process the client
   * reached (MAX_CONNECTIONS_PER_BRIEFING / MAX_CONNECTIONS_PER_USER). Reconnecting later can help.
   */
  TooManyConnections: 4409,
  /** The client read too slowly and the server's send buffer for it overflowed; reconnect. */
  SlowConsumer: 4408,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help: the client stops and tells the user. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.NotFound,
  CloseCode.Unloadable,
]);
