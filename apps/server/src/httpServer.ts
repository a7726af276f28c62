import {
  createServer,
  type IncomingMessage,
  maxHeaderSize,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { Logger } from 'pino';
import { type ErrorCode, ErrorStatus, errorBody } from './errors.ts';

type Fetch = Parameters<typeof getRequestListener>[0];

interface ParserError extends Error {
  code?: string;
  /** The bytes being parsed when the error came; usually they start with the request line. */
  rawPacket?: Buffer;
}

/** How long a refused connection may go on sending before it is cut. */
const LINGER_MS = 1_000;

function describeParserError(error: ParserError): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        code: 'request_headers_too_large',
        message: `The request's headers are larger than the limit of ${maxHeaderSize / 1024} KB.`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { code: 'payload_too_large', message: 'The chunk extensions of the request body are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'request_timeout', message: 'The request did not arrive in time.' };
    default:
      return { code: 'invalid_request', message: `The request is not valid HTTP/1.1 (${error.code ?? 'unreadable'}).` };
  }
}

/**
 * Answers on a socket that has no response object (a refused upgrade, a request Node's parser
 * rejected) with a whole HTTP/1.1 message in the API's error shape, then closes it.
 */
export function endSocketWithError(
  socket: Duplex,
  code: ErrorCode,
  message: string,
  { head = false }: { head?: boolean } = {},
): void {
  const status = ErrorStatus[code];
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      // The answer to HEAD has the headers of the answer to GET and never a body.
      (head ? '' : body),
  );
  // Closing while the client is still sending (the rest of a 64 KB header) would reset the
  // connection, and a reset can discard the answer before the client reads it: let the rest
  // arrive, briefly, then cut.
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

const answered = new WeakSet<Duplex>();

/**
 * Node's HTTP parser refuses a request (oversized headers, broken syntax, a timeout) before any
 * app sees it, and by default answers with a status line and an empty body. This writes the API's
 * error shape instead, never into the middle of another response on that socket.
 */
function answerClientError(error: ParserError, socket: Duplex): void {
  // A socket whose parser failed keeps reporting the same error for every later chunk it reads.
  if (answered.has(socket)) return;
  answered.add(socket);
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { code, message } = describeParserError(error);
  const inFlight = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  // With no request in flight, the bytes being parsed start with the request that failed.
  const head = !inFlight && error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  const answer = () => (socket.writable ? endSocketWithError(socket, code, message, { head }) : socket.destroy());
  if (inFlight && !inFlight.writableFinished && inFlight.req.complete) {
    // Bytes after a complete request (a body its headers did not declare) fail as the next
    // request while the app still answers the first: answer in order, after it.
    inFlight.once('finish', answer);
  } else if (inFlight?.headersSent) {
    // The broken bytes are the body of a request already being answered: nothing can be added.
    socket.destroy();
  } else {
    // Ending the socket also keeps whatever the app writes later for a broken body off the wire.
    answer();
  }
}

/**
 * What @hono/node-server does with a request it cannot turn into a fetch Request (a bad Host
 * header, a backslash in the path): without this, 400 with an empty body.
 */
function adapterErrorHandler(logger: Logger) {
  return (error: unknown): Response => {
    if (error instanceof RequestError) {
      return Response.json(errorBody('invalid_request', `The request cannot be read: ${error.message}.`), {
        status: 400,
      });
    }
    logger.error({ err: error }, 'unhandled error below the app');
    return Response.json(errorBody('internal_error', 'Something went wrong on the server.'), { status: 500 });
  };
}

/**
 * The HTTP server under the app: every error it answers, even those no Hono handler sees, has the
 * JSON error shape `{ "error": { "code", "message" } }`.
 */
export function listenHttp(fetch: Fetch, options: { port: number; hostname: string; logger: Logger }): Promise<Server> {
  const listener = getRequestListener(fetch, {
    hostname: options.hostname,
    errorHandler: adapterErrorHandler(options.logger),
  });
  // Node's own check (requireHostHeader) answers with an empty body: the same rule, in JSON.
  const server = createServer({ requireHostHeader: false }, (request: IncomingMessage, response: ServerResponse) => {
    if (request.httpVersion === '1.1' && request.headers.host === undefined) {
      const body = JSON.stringify(errorBody('invalid_request', 'An HTTP/1.1 request must have a Host header.'));
      response.writeHead(400, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      response.end(body);
      return;
    }
    void listener(request, response);
  });
  server.on('clientError', answerClientError);
  // Without a listener Node drops a CONNECT request's connection without a word.
  server.on('connect', (_request, socket: Duplex) =>
    endSocketWithError(socket, 'method_not_allowed', 'This server is not a proxy: CONNECT is not supported.'),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
