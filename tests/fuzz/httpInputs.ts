import type { Random } from './seed.ts';

/**
 * Generators of hostile HTTP input for the API fuzz test, driven by the server's own OpenAPI
 * document: every route it describes is fuzzed, a new one included, with bodies built from its
 * request schema and then broken in the ways clients (and attackers) break them.
 */

export interface FuzzRequest {
  /** What was sent, for the failure report. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Bytes written to the socket as they are, for what no HTTP client would send. */
  raw?: Buffer;
  /** The server may answer early and close while this is still being sent. */
  mayReset?: boolean;
}

export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /api/sources/{id}. */
  path: string;
  /** Media type and schema of the request body, if any. */
  body?: { type: string; schema: Schema };
}

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export function operationsOf(doc: OpenApiDocument): { operations: Operation[]; resolve: (s: Schema) => Schema } {
  const resolve = (schema: Schema): Schema => {
    let current = schema;
    for (let hops = 0; current.$ref && hops < 10; hops++) {
      current = doc.components?.schemas?.[current.$ref.replace('#/components/schemas/', '')] ?? {};
    }
    return current;
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content ?? {};
      const [type] = Object.keys(content);
      operations.push({
        method: method.toUpperCase(),
        path,
        ...(type ? { body: { type, schema: content[type]!.schema } } : {}),
      });
    }
  }
  return { operations, resolve };
}

const paragraph = 'An article about a call joined from an unsecured hotel line, and the lessons it teaches. ';

/** Source content: mostly plausible, often hostile (what broke or stalled extraction before). */
export function sourceContent(random: Random): string {
  switch (random.int(0, 17)) {
    case 0:
      return `${paragraph.repeat(4)}abc\u0000def`;
    case 1:
      return `A headline \ud800 with a lone surrogate\n\n${paragraph.repeat(4)}\udfff`;
    case 2:
      return '<script>document.title = 1</script>'.repeat(random.int(1, 3_000));
    case 3:
      return `${'<div>'.repeat(random.int(200, 8_000))}deep`;
    case 4:
      return `<html><body>${`${'<div><p>word</p>'.repeat(250)}${'</div>'.repeat(250)}`.repeat(random.int(1, 6))}</body></html>`;
    case 5:
      return random.pick(['*', '_', '[', '`', '>', '- ', '1. ', '<', '&#', '\\', '|']).repeat(random.int(1, 50_000));
    case 6:
      return `<article>${`<p>${paragraph}</p>`.repeat(random.int(1, 40))}</article>`;
    case 7:
      return Buffer.from(random.bytes(random.int(1, 20_000))).toString('latin1');
    case 8:
      return '';
    case 9:
      return ' \n\t '.repeat(random.int(1, 100));
    case 10:
      return `# Title\n\n${'> '.repeat(random.int(1, 500))}${paragraph}`;
    case 11:
      return `<script type="application/ld+json">{"@type":"NewsArticle","headline":"\\u0000\\ud800"}</script><p>${paragraph.repeat(4)}</p>`;
    case 12:
      return 'x'.repeat(random.int(1, 3) * 1024 * 1024);
    case 13:
      return `<html><head><title>${'t'.repeat(100_000)}</title></head><body><p>${paragraph.repeat(4)}</p></body></html>`;
    case 14:
      return `${'<table><tr><td>'.repeat(random.int(10, 300))}${paragraph}`;
    case 15:
      return `${paragraph}\n`.repeat(random.int(1, 20_000));
    default:
      return paragraph.repeat(random.int(1, 20)) + random.int(0, 1e9);
  }
}

const STRINGS = [
  '',
  ' ',
  'Era phones',
  'ÄÖÜ ß 漢字 🙂',
  '\u202eright-to-left',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  `\${7*7}{{7*7}}`,
  '../../etc/passwd',
  'a\u0000b',
  'lone \ud800 surrogate',
  '\udc00',
  '\r\n\r\nHTTP/1.1 200 OK',
  'null',
  '%00%ff%',
];

/** Only addresses the server refuses before connecting, or cannot fetch at all: the fuzz never reaches past loopback. */
const URLS = [
  'http://127.0.0.1:9/nothing',
  'http://localhost/',
  'http://[::1]:1/',
  'http://127.0.0.1:1/%00',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<p>x</p>',
  'ftp://127.0.0.1/',
  'http://user:pass@127.0.0.1/',
  'http://0x7f000001/',
  'http://2130706433/',
  'not a url',
  `http://127.0.0.1/${'a'.repeat(3_000)}`,
];

/** Ids for {id}: existing, unknown, and every way an id can be wrong. */
export function idFor(random: Random, existing: readonly string[]): string {
  const known = existing.length > 0 ? random.pick(existing) : '7d1e0f7e-0000-4000-8000-000000000000';
  return random.pick([
    known,
    known,
    known.toUpperCase(),
    `{${known}}`,
    known.replaceAll('-', ''),
    `${known}0`,
    '7d1e0f7e-0000-4000-8000-000000000000',
    '00000000-0000-0000-0000-000000000000',
    'a'.repeat(random.int(37, 5_000)),
    '..%2f..%2fetc%2fpasswd',
    '%2e%2e',
    '..',
    '.',
    '%00',
    '%',
    '%zz',
    '%F0%9F%99%82',
    '%ED%A0%80',
    'null',
    "'%20OR%201=1--",
    `${known}%2f..`,
    `${known};x`,
    '',
  ]);
}

function valueFor(
  schema: Schema,
  resolve: (s: Schema) => Schema,
  random: Random,
  key: string,
  ids: readonly string[],
): unknown {
  const s = resolve(schema);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return valueFor(random.pick(variants), resolve, random, key, ids);
  if (s.enum) return random.pick(s.enum);
  const types = Array.isArray(s.type) ? s.type : [s.type ?? 'string'];
  const type = random.pick(types);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return random.chance(0.5);
    case 'integer':
      return random.pick([0, 1, 2024, -1, 3, 12, 31, 2 ** 31, Number.MAX_SAFE_INTEGER]);
    case 'number':
      return random.pick([0, 1.5, -1, 1e308]);
    case 'array': {
      const count = random.int(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3));
      return Array.from({ length: count }, () => valueFor(s.items ?? {}, resolve, random, key, ids));
    }
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(name) || random.chance(0.5))
          object[name] = valueFor(property, resolve, random, name, ids);
      }
      return object;
    }
    default: {
      if (key === 'content') return sourceContent(random);
      if (s.format === 'uri' || key === 'url' || key === 'URL') return random.pick(URLS);
      if (s.format === 'uuid') return idFor(random, ids);
      const text = random.chance(0.7) ? random.pick(STRINGS.slice(2, 5)) : random.pick(STRINGS);
      return text.slice(0, s.maxLength ?? text.length);
    }
  }
}

const JUNK_VALUES: unknown[] = [null, 0, -1, 1e300, true, '', 'x', [], {}, [1, 2], { a: { b: {} } }, '\u0000'];

/** JSON.stringify recurses and would overflow on deep values: they are spliced in as text. */
const deepArray = (depth: number) => `__deep_${depth}__`;
const spliceDeep = (json: string) =>
  json.replace(
    /"__deep_(\d+)__"/g,
    (_match, depth: string) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`,
  );

/** Breaks a valid body in one of the ways clients break bodies. */
function mutate(value: unknown, random: Random): { value: unknown; what: string } {
  const object =
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const keys = object ? Object.keys(object) : [];
  const key = keys.length > 0 ? random.pick(keys) : 'field';
  switch (random.int(0, 9)) {
    case 0:
    case 1:
      return { value, what: 'valid' };
    case 2:
      if (object) object[key] = random.pick(JUNK_VALUES);
      return { value, what: `wrong type at ${key}` };
    case 3:
      if (object) delete object[key];
      return { value, what: `missing ${key}` };
    case 4:
      if (object) {
        for (const extra of ['__proto__', 'constructor', 'prototype', 'extra', 'id', 'workspaceId']) {
          object[extra] = random.pick(JUNK_VALUES);
        }
      }
      return { value, what: 'extra fields' };
    case 5:
      if (object) object[key] = 'x'.repeat(random.pick([10_000, 300_000, 1_500_000]));
      return { value, what: `huge string at ${key}` };
    case 6:
      if (object) object[key] = random.pick(['a\u0000b', '\ud800', 'x\udfffy', '\u0000']);
      return { value, what: `NUL or lone surrogate at ${key}` };
    case 7:
      if (object) object[key] = deepArray(random.pick([100, 10_000, 100_000]));
      return { value, what: `deep array at ${key}` };
    case 8:
      return {
        value: random.pick([null, [], 42, 'text', deepArray(50_000), Array(200_000).fill(0)]),
        what: 'other JSON',
      };
    default:
      if (object) object[key] = Array.from({ length: random.int(1_000, 20_000) }, () => random.pick(STRINGS));
      return { value, what: `long array at ${key}` };
  }
}

const MALFORMED_JSON = [
  '{',
  '{"title": ',
  "{'title': 'single quotes'}",
  '{"title": "x",}',
  '{"title": NaN}',
  '\ufeff{"title":"bom"}',
  '{"title":"\\ud800"}',
  '{"title":"\\u0000"}',
  '{"a":1}{"b":2}',
  'null',
  '',
  '[',
  '{"__proto__":{"polluted":true}}',
];

function jsonBody(op: Operation, resolve: (s: Schema) => Schema, random: Random, ids: readonly string[]) {
  if (random.chance(0.1)) {
    const text = random.pick(MALFORMED_JSON);
    return { body: Buffer.from(text), what: `malformed JSON ${JSON.stringify(text.slice(0, 20))}` };
  }
  if (random.chance(0.04)) {
    // Invalid UTF-8 inside a JSON string.
    return {
      body: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
      what: 'invalid UTF-8',
    };
  }
  const valid = valueFor(op.body?.schema ?? { type: 'object' }, resolve, random, '', ids);
  const { value, what } = mutate(valid, random);
  return { body: Buffer.from(spliceDeep(JSON.stringify(value) ?? '')), what };
}

const FILE_NAMES = [
  'a.txt',
  'page.html',
  'notes.md',
  'slides.pptx',
  '../../etc/passwd',
  'x'.repeat(1_000),
  'no-extension',
  '.html',
  'é.txt',
  'a\u0000.txt',
];

function multipartBody(random: Random): { body: Buffer; type: string; what: string } {
  const boundary = `----fuzz${random.int(0, 1e9)}`;
  const parts: Buffer[] = [];
  // Over 20 files is refused before any is extracted; up to 20 may each use the time limit.
  const count = random.chance(0.05) ? random.int(21, 60) : random.int(0, 4);
  for (let i = 0; i < count; i++) {
    const field = random.pick(['files', 'files', 'files[]', 'other', '']);
    const name = random.pick(FILE_NAMES);
    const content = random.chance(0.3)
      ? Buffer.from(random.bytes(random.int(0, 5_000)))
      : Buffer.from(sourceContent(random));
    const disposition = random.chance(0.9)
      ? `Content-Disposition: form-data; name="${field}"; filename="${name}"`
      : `Content-Disposition: form-data; name="${field}"`;
    parts.push(
      Buffer.from(
        `--${boundary}\r\n${disposition}\r\nContent-Type: ${random.pick(['text/plain', 'text/html', 'application/octet-stream', 'image/png'])}\r\n\r\n`,
      ),
      content,
      Buffer.from('\r\n'),
    );
  }
  let end = `--${boundary}--\r\n`;
  let type = `multipart/form-data; boundary=${boundary}`;
  let what = `multipart with ${count} parts`;
  switch (random.int(0, 7)) {
    case 0:
      end = '';
      what += ', no closing boundary';
      break;
    case 1:
      type = 'multipart/form-data';
      what += ', no boundary in the content type';
      break;
    case 2:
      type = 'multipart/form-data; boundary=other';
      what += ', wrong boundary';
      break;
    case 3:
      parts.unshift(Buffer.from(`--${boundary}\r\nno headers here\r\n`));
      what += ', a part without headers';
      break;
  }
  return { body: Buffer.concat([...parts, Buffer.from(end)]), type, what };
}

const PATHS = [
  '/',
  '/index.html',
  '/briefings/123',
  '/favicon.ico',
  '/_app/immutable/app.js',
  '/_app/immutable/missing.js',
  '/../secret.txt',
  '/../../package.json',
  '/%2e%2e/',
  '/%2e%2e/%2e%2e/package.json',
  '/..%2f..%2fpackage.json',
  '/..%5c..%5cpackage.json',
  '/%252e%252e/secret.txt',
  '/_app/immutable/..%2f..%2f..%2fsecret.txt',
  '/api/sources/..%2f..%2fetc%2fpasswd',
  '/api/../package.json',
  '/api/%2e%2e/package.json',
  '/.env',
  '/.git/config',
  '//',
  '//secret.txt',
  '/api//briefings',
  '/API/BRIEFINGS',
  '/api/briefings/',
  '/api/Briefings',
  '/api',
  '/api/',
  '/api/nothing',
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/openapi.json',
  `/api/briefings?${'q='.repeat(2_000)}`,
  '/api/briefings?%',
  '/healthz#fragment',
  '/%00',
  '/%',
  '/%ff',
  `/${'a'.repeat(8_000)}`,
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/json; boundary=x',
  'APPLICATION/JSON',
  'text/html',
];

/** Requests no HTTP client library sends, written to the socket as they are. */
const RAW = [
  'HELLO\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: localhost\r\nno colon\r\n\r\n',
  'GET /healthz HTTP/9.9\r\nHost: localhost\r\n\r\n',
  'GET /healthz HTTP/1.0\r\n\r\n',
  'PROPFIND /api/briefings HTTP/1.1\r\nHost: localhost\r\n\r\n',
  'FOO /api/briefings HTTP/1.1\r\nHost: localhost\r\n\r\n',
  'get /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n',
  'CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n',
  'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
  'GET /he\u0000lthz HTTP/1.1\r\nHost: localhost\r\n\r\n',
  'GET /api\\briefings HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  'GET /healthz HTTP/1.1\r\nHost: exa mple.com:x\r\nConnection: close\r\n\r\n',
  'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n',
  'GET http://evil.example/healthz HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
  'POST /api/briefings HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  'POST /api/briefings HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /api/briefings HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n',
  'POST /api/briefings HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
  'POST /api/briefings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title"',
  'GET /healthz HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
  'GET /api/briefings HTTP/1.1\r\nHost: localhost\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: localhost\r\n X-Folded: continued\r\n\r\n',
];

/** One fuzz request: from a route of the OpenAPI document most of the time, else from the lists above. */
export function nextRequest(
  random: Random,
  operations: readonly Operation[],
  resolve: (s: Schema) => Schema,
  ids: readonly string[],
): FuzzRequest {
  const roll = random.next();
  if (roll < 0.06) {
    const text = random.pick(RAW);
    return {
      label: `raw ${JSON.stringify(text.slice(0, 40))}`,
      method: 'RAW',
      path: '',
      headers: {},
      raw: Buffer.from(text, 'latin1'),
    };
  }
  if (roll < 0.16) {
    const path = random.pick(PATHS);
    const headers: Record<string, string> = {};
    if (random.chance(0.3))
      headers.range = random.pick(['bytes=0-3', 'bytes=10-5', 'bytes=100000-', 'bytes=-5', 'bytes=x', 'bytes=0-1,2-3']);
    const method = random.chance(0.7) ? 'GET' : random.pick(METHODS);
    return { label: `${method} ${path.slice(0, 60)}`, method, path, headers };
  }
  const op = random.pick(operations);
  const path = op.path.replace(/\{[^}]+\}/g, () => idFor(random, ids));
  const method = random.chance(0.85) ? op.method : random.pick(METHODS);
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  let what = '';
  let mayReset = false;
  if (op.body?.type === 'multipart/form-data') {
    const multipart = multipartBody(random);
    body = multipart.body;
    headers['content-type'] = multipart.type;
    what = multipart.what;
  } else if (op.body || random.chance(0.1)) {
    const json = jsonBody(op, resolve, random, ids);
    body = json.body;
    what = json.what;
    headers['content-type'] = random.chance(0.85) ? 'application/json' : random.pick(CONTENT_TYPES);
  }
  if (random.chance(0.03)) {
    headers['x-large'] = 'h'.repeat(random.pick([17 * 1024, 64 * 1024]));
    what += ', huge header';
    mayReset = true;
  }
  if (random.chance(0.02)) {
    body = Buffer.alloc(random.pick([2, 12]) * 1024 * 1024, 0x20);
    what += ', body over the limit';
    mayReset = true;
  }
  if (body && body.length > 1024 * 1024) mayReset = true;
  return {
    label: `${method} ${path.slice(0, 80)} (${what || 'no body'})`,
    method,
    path,
    headers,
    ...(body ? { body } : {}),
    mayReset,
  };
}
