import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpRequestError, MAX_RESPONSE_BODY_BYTES, NodeHttpClient } from '../../src/node/index.js';
import { freePort, listen } from './node-adapters-harness.js';

// ---------------------------------------------------------------- NodeHttpClient directly

describe('NodeHttpClient directly (docs/adapters.md "NodeHttpClient")', () => {
  const sig = () => new AbortController().signal;

  it('no redirect following; any status resolves; header names lower-cased, repeats joined with ", "', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/r') {
        res.writeHead(302, { Location: '/elsewhere' }).end();
        return;
      }
      res.setHeader('X-Multi', ['a', 'b']);
      res.writeHead(404).end();
    });
    const port = await listen(server);
    const c = new NodeHttpClient();
    const r1 = await c.request({ method: 'GET', url: `http://127.0.0.1:${port}/r`, headers: [] }, { signal: sig() });
    expect(r1.status).toBe(302);
    expect(r1.headers?.location).toBe('/elsewhere');
    const r2 = await c.request({ method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: [] }, { signal: sig() });
    expect(r2.status).toBe(404);
    expect(r2.headers?.['x-multi']).toBe('a, b');
  });

  it('headers are sent in order with repeats kept; a Host header sets the virtual host', async () => {
    let raw: string[] = [];
    const server = http.createServer((req, res) => {
      raw = req.rawHeaders;
      res.end();
    });
    const port = await listen(server);
    await new NodeHttpClient().request(
      {
        method: 'GET',
        url: `http://127.0.0.1:${port}/`,
        headers: [
          ['X-A', '1'],
          ['Host', 'example.test'],
          ['X-A', '2'],
        ],
      },
      { signal: sig() },
    );
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
    expect(pairs.filter(([n]) => n === 'x-a').map(([, v]) => v)).toEqual(['1', '2']);
    expect(pairs.filter(([n]) => n === 'host').map(([, v]) => v)).toEqual(['example.test']);
  });

  it('environment proxies are ignored (HTTP_PROXY pointing to a dead port)', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(201).end();
    });
    const port = await listen(server);
    const dead = await freePort();
    const saved = { a: process.env.HTTP_PROXY, b: process.env.http_proxy };
    process.env.HTTP_PROXY = `http://127.0.0.1:${dead}`;
    process.env.http_proxy = `http://127.0.0.1:${dead}`;
    try {
      const r = await new NodeHttpClient().request(
        { method: 'GET', url: `http://127.0.0.1:${port}/`, headers: [] },
        { signal: sig() },
      );
      expect(r.status).toBe(201);
    } finally {
      if (saved.a === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved.a;
      if (saved.b === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved.b;
    }
  });

  it('a body over 10 KiB does not make the request fail or hang (read up to the cap, then dropped)', async () => {
    expect(MAX_RESPONSE_BODY_BYTES).toBe(10 * 1024);
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let n = 0;
      const pump = () => {
        while (n < 200 && res.write(chunk)) n++;
        if (n < 200) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const port = await listen(server);
    const r = await new NodeHttpClient().request(
      { method: 'GET', url: `http://127.0.0.1:${port}/`, headers: [] },
      { signal: sig() },
    );
    expect(r.status).toBe(200);
  });

  it('abort: rejects with ABORT_ERR, message `Get "…": context canceled`, cause = signal.reason', async () => {
    const server = http.createServer(() => {
      /* never answers */
    });
    const port = await listen(server);
    const ac = new AbortController();
    const reason = new Error('grace over');
    const url = `http://127.0.0.1:${port}/slow`;
    const pending = new NodeHttpClient().request({ method: 'GET', url, headers: [] }, { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 50);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect(err).toMatchObject({ code: 'ABORT_ERR', message: `Get "${url}": context canceled` });
    expect((err as Error).cause).toBe(reason);
  });

  it("unsupported scheme: ERR_UNSUPPORTED_PROTOCOL with Go's text", async () => {
    const err = await new NodeHttpClient()
      .request({ method: 'GET', url: 'baz://h:80/', headers: [] }, { signal: sig() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_UNSUPPORTED_PROTOCOL',
      message: 'Get "baz://h:80/": unsupported protocol scheme "baz"',
    });
  });

  it('closed without a response: ECONNRESET, `Get "…": EOF`', async () => {
    const server = http.createServer((req) => {
      req.socket.destroy();
    });
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}/x`;
    const err = await new NodeHttpClient()
      .request({ method: 'GET', url, headers: [] }, { signal: sig() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNRESET', message: `Get "${url}": EOF` });
  });
});
