import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './server.ts';
import { startTestServer, tempDataDir } from './testing.ts';

const SECRET = 'secret beside the web folder';

/** node:http sends the path exactly as given: fetch would resolve the dot segments first. */
function get(url: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    request(`${url}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the built web app, served with the API', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const site = tempDataDir();
    writeFileSync(join(site, 'secret.txt'), SECRET);
    const web = join(site, 'web');
    mkdirSync(join(web, '_app', 'immutable'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Debrief</title>');
    writeFileSync(join(web, '_app', 'immutable', 'app.js'), 'console.log("app");');
    server = await startTestServer({ WEB_DIR: web });
  });
  afterAll(async () => server?.close());

  it('serves files, and index.html for any other page path', async () => {
    expect((await get(server.url, '/_app/immutable/app.js')).body).toBe('console.log("app");');
    const page = await get(server.url, '/briefings/123');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Debrief</title>');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/_app/../../secret.txt',
    '/_app/immutable/..%2f..%2f..%2fsecret.txt',
    '/..\\secret.txt',
    '//secret.txt',
  ])('never serves a file outside the web folder (%s)', async (path) => {
    const response = await get(server.url, path);
    expect(response.status).toBeLessThan(500);
    expect(response.body).not.toContain(SECRET);
  });

  it.each([
    ['a start past the end of the file', 'bytes=100000-'],
    ['a start after the end', 'bytes=10-5'],
  ])('answers a Range with %s with 416 in the JSON error shape, not 500', async (_what, range) => {
    const response = await get(server.url, '/_app/immutable/app.js', { range });
    expect(response.status).toBe(416);
    expect(response.type).toMatch(/^application\/json/);
    expect((JSON.parse(response.body) as { error: { code: string } }).error.code).toBe('range_not_satisfiable');
  });

  it.each(['OPTIONS', 'POST', 'DELETE'])(
    'leaves %s on a file to the routes: a whole JSON 404, not a file',
    async (method) => {
      const response = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        request(`${server.url}/index.html`, { method }, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
          res.on('aborted', () => reject(new Error('the response ended before its Content-Length')));
        })
          .on('error', reject)
          .end();
      });
      expect(response.status).toBe(404);
      expect(response.type).toMatch(/^application\/json/);
    },
  );

  it('serves a satisfiable Range as 206', async () => {
    const response = await get(server.url, '/_app/immutable/app.js', { range: 'bytes=0-6' });
    expect(response.status).toBe(206);
    expect(response.body).toBe('console');
  });
});
