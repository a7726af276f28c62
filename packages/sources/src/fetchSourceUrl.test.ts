import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isForbiddenAddress } from './networkGuard.ts';
import { fetchSourceUrl } from './server.ts';

function fakeFetch(body: ConstructorParameters<typeof Response>[0], init: ResponseInit = {}): typeof fetch {
  return async () => {
    const response = new Response(body, init);
    // Only the headers given: a server test that ran earlier in this worker leaves
    // @hono/node-server's global Response behind, which labels a body of bytes text/plain.
    if (!new Headers(init.headers).has('content-type')) response.headers.delete('content-type');
    return response;
  };
}

async function expectCode(promise: Promise<unknown>, code: string, message?: RegExp) {
  await expect(promise).rejects.toMatchObject({
    code,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });
}

describe('fetchSourceUrl with a stubbed fetch', () => {
  it.each([
    ['text/html; charset=utf-8', 'html'],
    ['text/plain', 'text'],
    ['text/markdown; charset=UTF-8', 'markdown'],
  ])('reads %s as %s', async (contentType, format) => {
    const fetchImpl = fakeFetch('Body “text”', { headers: { 'content-type': contentType } });
    await expect(
      fetchSourceUrl('https://example.com/start', { allowPrivateNetwork: true, fetchImpl }),
    ).resolves.toEqual({
      content: 'Body “text”',
      format,
      finalUrl: 'https://example.com/start',
    });
  });

  it('decodes with the charset the server declares', async () => {
    const fetchImpl = fakeFetch(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), {
      headers: { 'content-type': 'text/plain; charset=ISO-8859-1' },
    });
    await expect(
      fetchSourceUrl('https://example.com/', { allowPrivateNetwork: true, fetchImpl }),
    ).resolves.toMatchObject({ content: 'café' });
  });

  it.each([
    'ftp://example.com/a.txt',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'https://user:pw@example.com/',
  ])('refuses %s as an invalid address', async (url) => {
    await expectCode(fetchSourceUrl(url, { allowPrivateNetwork: true, fetchImpl: fakeFetch('x') }), 'invalid_url');
  });

  it('names the status of a non-2xx answer', async () => {
    const fetchImpl = fakeFetch('gone', {
      status: 404,
      statusText: 'Not Found',
      headers: { 'content-type': 'text/html' },
    });
    await expectCode(
      fetchSourceUrl('https://example.com/', { allowPrivateNetwork: true, fetchImpl }),
      'url_unreachable',
      /status 404 Not Found/,
    );
  });

  it('returns a PDF or Word document as its bytes in base64', async () => {
    const bytes = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff]);
    const pdf = fakeFetch(bytes, { headers: { 'content-type': 'application/pdf' } });
    await expect(
      fetchSourceUrl('https://example.com/r.pdf', { allowPrivateNetwork: true, fetchImpl: pdf }),
    ).resolves.toEqual({
      content: Buffer.from(bytes).toString('base64'),
      format: 'pdf',
      finalUrl: 'https://example.com/r.pdf',
    });
  });

  it('refuses content types other than HTML, plain text, Markdown, PDF and DOCX', async () => {
    const image = fakeFetch('GIF89a', { headers: { 'content-type': 'image/gif' } });
    await expectCode(
      fetchSourceUrl('https://example.com/', { allowPrivateNetwork: true, fetchImpl: image }),
      'unsupported_format',
      /image\/gif/,
    );
    const untyped = fakeFetch(new Uint8Array([1]));
    await expectCode(
      fetchSourceUrl('https://example.com/', { allowPrivateNetwork: true, fetchImpl: untyped }),
      'unsupported_format',
    );
  });

  it('passes on decoding errors: binary, invalid UTF-8, empty', async () => {
    const headers = { 'content-type': 'text/plain' };
    const binary = fakeFetch(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { headers });
    await expectCode(
      fetchSourceUrl('https://example.com/', { allowPrivateNetwork: true, fetchImpl: binary }),
      'binary_content',
    );
    const invalid = fakeFetch(Uint8Array.from([0xc3, 0x28]), { headers });
    await expectCode(
      fetchSourceUrl('https://example.com/', { allowPrivateNetwork: true, fetchImpl: invalid }),
      'invalid_utf8',
    );
    await expectCode(
      fetchSourceUrl('https://example.com/', { allowPrivateNetwork: true, fetchImpl: fakeFetch('', { headers }) }),
      'empty_source',
    );
  });

  it('reports a network failure as unreachable with its reason', async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      });
    };
    await expectCode(
      fetchSourceUrl('https://nowhere.invalid/', { allowPrivateNetwork: true, fetchImpl }),
      'url_unreachable',
      /host name was not found/,
    );
  });
});

describe('fetchSourceUrl against a local server', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/article') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<p>Article</p>');
      } else if (request.url?.startsWith('/chain/')) {
        // /chain/n redirects n times before the article.
        const left = Number(request.url.slice('/chain/'.length));
        response.writeHead(302, { location: left > 1 ? `/chain/${left - 1}` : '/article' });
        response.end();
      } else if (request.url === '/redirect') {
        response.writeHead(302, { location: '/article' });
        response.end();
      } else if (request.url === '/endless') {
        // No Content-Length: the cap must hold while streaming. Stops when the client goes away.
        response.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'x'.repeat(64 * 1024);
        const write = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', write);
        };
        write();
      } else if (request.url === '/declared-large') {
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(10 * 1024 * 1024) });
        response.write('x');
      } else if (request.url === '/slow') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('partial');
        setTimeout(() => response.end(' rest'), 2_000).unref();
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('no');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('follows redirects and reports where it ended', async () => {
    await expect(fetchSourceUrl(`${base}/redirect`, { allowPrivateNetwork: true })).resolves.toEqual({
      content: '<p>Article</p>',
      format: 'html',
      finalUrl: `${base}/article`,
    });
  });

  it('follows at most 5 redirects (docs/sources.md), and refuses a sixth as unreachable', async () => {
    await expect(fetchSourceUrl(`${base}/chain/5`, { allowPrivateNetwork: true })).resolves.toMatchObject({
      finalUrl: `${base}/article`,
    });
    await expectCode(
      fetchSourceUrl(`${base}/chain/6`, { allowPrivateNetwork: true }),
      'url_unreachable',
      /redirected more than 5 times/,
    );
  });

  it('stops reading a body past the byte cap', async () => {
    await expectCode(
      fetchSourceUrl(`${base}/endless`, { allowPrivateNetwork: true, maxBytes: 256 * 1024 }),
      'source_too_large',
    );
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    await expectCode(fetchSourceUrl(`${base}/declared-large`, { allowPrivateNetwork: true }), 'source_too_large');
  });

  it('gives up on a server that does not finish in time', async () => {
    await expectCode(
      fetchSourceUrl(`${base}/slow`, { allowPrivateNetwork: true, timeoutMs: 200 }),
      'url_unreachable',
      /within 0.2 seconds/,
    );
  });

  it('reports a refused connection as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expectCode(
      fetchSourceUrl(`http://127.0.0.1:${port}/`, { allowPrivateNetwork: true }),
      'url_unreachable',
      /refused/,
    );
  });
});

describe('the private-network guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['224.0.0.1', true],
    ['239.255.255.250', true],
    ['240.0.0.1', true],
    ['255.255.255.255', true],
    ['192.0.0.8', true],
    ['192.0.2.1', true],
    ['198.18.0.1', true],
    ['198.51.100.7', true],
    ['203.0.113.9', true],
    ['::', true],
    ['ff02::1', true],
    ['2001:db8::1', true],
    ['100::1', true],
    ['64:ff9b::7f00:1', true],
    ['::ffff:224.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:4700:4700::1111', false],
    // Just outside the forbidden ranges: public.
    ['223.255.255.255', false],
    ['172.32.0.1', false],
    ['100.128.0.1', false],
    ['198.20.0.1', false],
    ['not-an-ip', true],
  ])('treats %s as forbidden: %s', (address, forbidden) => {
    expect(isForbiddenAddress(address)).toBe(forbidden);
  });

  it('refuses a loopback address before connecting, even though a server listens there', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('inside'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expectCode(fetchSourceUrl(`http://127.0.0.1:${port}/`), 'url_not_allowed', /private network/);
      await expectCode(fetchSourceUrl(`http://[::1]:${port}/`), 'url_not_allowed');
    } finally {
      server.close();
    }
  });

  /**
   * A resolver under the test's control that answers `first` once and `then` ever after: what a
   * DNS server with a zero TTL does to rebind a name between a check and a connection.
   */
  function rebindingResolver(first: string, then: string) {
    const answers: string[] = [];
    const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      const address = answers.length === 0 ? first : then;
      answers.push(address);
      if (options.all) callback(null, [{ address, family: 4 }]);
      else callback(null, address, 4);
    }) as unknown as LookupFunction;
    return { lookup, answers };
  }

  it('checks the address again when connecting: a name answering public, then private (DNS rebinding), is refused', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = `http://rebind.example:${port}/`;
      const resolver = rebindingResolver('93.184.216.34', '127.0.0.1');
      await expectCode(fetchSourceUrl(url, { lookup: resolver.lookup }), 'url_not_allowed', /private network/);
      // The check before connecting saw the public address; the connection resolved again and was stopped.
      expect(resolver.answers).toEqual(['93.184.216.34', '127.0.0.1']);
      expect(requests).toBe(0);
      // The same name and server, with the guard lifted, are reached: the refusal above was the guard's.
      const open = rebindingResolver('127.0.0.1', '127.0.0.1');
      await expect(fetchSourceUrl(url, { lookup: open.lookup, allowPrivateNetwork: true })).resolves.toMatchObject({
        content: 'internal secret',
      });
      expect(requests).toBe(1);
    } finally {
      server.close();
    }
  });

  it('refuses a host name that resolves to a private address, before connecting', async () => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/plain' }).end('inside');
    });
    // `localhost` is a name, not an address: only the resolver says it is this machine.
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expectCode(fetchSourceUrl(`http://localhost:${port}/`), 'url_not_allowed', /private network/);
      expect(requests).toEqual([]);
      // The same name is fetched when private addresses are allowed: the guard, not the network, refused.
      await expect(fetchSourceUrl(`http://localhost:${port}/`, { allowPrivateNetwork: true })).resolves.toMatchObject({
        content: 'inside',
      });
    } finally {
      server.close();
    }
  });

  it.each(['http://224.0.0.1/', 'http://239.255.255.250:1900/', 'http://240.0.0.1/', 'http://[ff02::1]/'])(
    'refuses the multicast or reserved address of %s before any request',
    async (url) => {
      const requested: string[] = [];
      const fetchImpl = (async (input: string | URL | Request) => {
        requested.push(String(input));
        return new Response('inside', { headers: { 'content-type': 'text/plain' } });
      }) as typeof fetch;
      await expectCode(fetchSourceUrl(url, { fetchImpl }), 'url_not_allowed');
      expect(requested).toEqual([]);
    },
  );

  it('checks every redirect hop: a public page may not send the server into its own network', async () => {
    const hops: string[] = [];
    const fetchImpl = (async (input: string | URL | Request) => {
      hops.push(String(input));
      return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    }) as typeof fetch;
    await expectCode(fetchSourceUrl('http://93.184.216.34/article', { fetchImpl }), 'url_not_allowed');
    expect(hops).toEqual(['http://93.184.216.34/article']);
  });
});
