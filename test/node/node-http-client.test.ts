import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpRequestError, MAX_RESPONSE_BODY_BYTES, NodeHttpClient } from '../../src/node/node-http-client.js';
import { HTTP_RESPONSE_TO_HTTPS_CLIENT } from '../../src/ports/http-client.js';
import { startHttpServer, startHttpsServer, type TestServer } from './helpers/servers.js';

const client = new NodeHttpClient();
const servers: TestServer[] = [];
const track = async (s: Promise<TestServer>): Promise<TestServer> => {
  const server = await s;
  servers.push(server);
  return server;
};
const get = (url: string, headers: Array<[string, string]> = [], signal = new AbortController().signal) =>
  client.request({ method: 'GET', url, headers }, { signal });
const failure = async (p: Promise<unknown>): Promise<HttpRequestError> => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpRequestError);
  return error as HttpRequestError;
};

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('NodeHttpClient over http', () => {
  it('returns the status and lower-cased headers, repeats joined with ", "', async () => {
    const server = await track(
      startHttpServer((_q, res) => {
        res.setHeader('X-Multi', ['a', 'b']);
        res.statusCode = 503;
        res.end('down');
      }),
    );
    const response = await get(`http://127.0.0.1:${server.port}/health?x=1`);
    expect(response.status).toBe(503);
    expect(response.headers?.['x-multi']).toBe('a, b');
    expect(server.seen[0]?.url).toBe('/health?x=1');
    expect(server.seen[0]?.host).toBe(`127.0.0.1:${server.port}`);
  });

  it('returns no body unless asked; with readBodyBytes the first that many bytes as UTF-8, even past the drain cap', async () => {
    const big = 'é'.repeat(MAX_RESPONSE_BODY_BYTES); // 2 bytes each: twice the cap, content-length declared
    const server = await track(
      startHttpServer((q, res) => {
        res.statusCode = 301;
        res.end(q.url === '/big' ? big : 'moved here');
      }),
    );
    const url = `http://127.0.0.1:${server.port}`;
    const signal = new AbortController().signal;
    expect(await get(`${url}/`)).not.toHaveProperty('body');
    const small = await client.request(
      { method: 'GET', url: `${url}/`, headers: [], readBodyBytes: 10_240 },
      { signal },
    );
    expect(small).toMatchObject({ status: 301, body: 'moved here' });
    const cut = await client.request({ method: 'GET', url: `${url}/big`, headers: [], readBodyBytes: 5 }, { signal });
    expect(cut.body).toBe('éé\uFFFD'); // 5 bytes: two characters and half of the third
  });

  it('sends headers in order with repeats and honours Host as the virtual host', async () => {
    const server = await track(startHttpServer());
    await get(`http://127.0.0.1:${server.port}/`, [
      ['Host', 'vhost.example'],
      ['X-A', '1'],
      ['X-A', '2'],
      ['User-Agent', 'kube-lifecycle/1.35'],
    ]);
    const seen = server.seen[0];
    expect(seen?.host).toBe('vhost.example');
    expect(seen?.rawHeaders.slice(0, 8)).toEqual([
      'Host',
      'vhost.example',
      'X-A',
      '1',
      'X-A',
      '2',
      'User-Agent',
      'kube-lifecycle/1.35',
    ]);
  });

  it('does not follow redirects', async () => {
    const server = await track(
      startHttpServer((_q, res) => {
        res.writeHead(302, { Location: '/elsewhere' });
        res.end();
      }),
    );
    const response = await get(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(302);
    expect(response.headers?.location).toBe('/elsewhere');
    expect(server.seen).toHaveLength(1);
  });

  it('reads at most 10 KiB of an endless body, then drops the connection', async () => {
    let closed = false;
    const server = await track(
      startHttpServer((req, res) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(4096, 'x');
        const pump = (): void => {
          while (!closed && res.write(chunk));
          if (!closed) res.once('drain', pump);
        };
        req.socket.once('close', () => {
          closed = true;
        });
        pump();
      }),
    );
    const response = await get(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(200);
    expect(MAX_RESPONSE_BODY_BYTES).toBe(10240);
    await expect.poll(() => closed).toBe(true);
  });

  it('ignores proxy settings in the environment', async () => {
    const server = await track(startHttpServer());
    const saved = process.env['HTTP_PROXY'];
    process.env['HTTP_PROXY'] = 'http://127.0.0.1:1';
    try {
      expect((await get(`http://127.0.0.1:${server.port}/`)).status).toBe(200);
    } finally {
      if (saved === undefined) delete process.env['HTTP_PROXY'];
      else process.env['HTTP_PROXY'] = saved;
    }
  });

  it('names the URL and the cause when the connection is refused', async () => {
    const port = await closedPort();
    const error = await failure(get(`http://127.0.0.1:${port}/x`));
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toBe(
      `Get "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it('reports a connection closed without a response as EOF', async () => {
    const server = await track(startHttpServer((req) => req.socket.destroy()));
    const error = await failure(get(`http://127.0.0.1:${server.port}/`));
    expect(error.code).toBe('ECONNRESET');
    expect(error.message).toBe(`Get "http://127.0.0.1:${server.port}/": EOF`);
  });

  it('reports a connection reset by peer', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const error = await failure(get(`http://127.0.0.1:${port}/`));
      expect(error.code).toBe('ECONNRESET');
      expect(error.message).toMatch(
        new RegExp(
          `^Get "http://127.0.0.1:${port}/": (read tcp 127.0.0.1:${port}: read: connection reset by peer|EOF)$`,
        ),
      );
    } finally {
      server.close();
    }
  });

  it('reports a DNS failure', async () => {
    const error = await failure(get('http://nosuch.invalid:8080/'));
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(error.code);
    expect(error.message).toMatch(/^Get "http:\/\/nosuch\.invalid:8080\/": dial tcp: lookup nosuch\.invalid: /);
  });

  it('aborts a request that never gets an answer', async () => {
    let sawClose = false;
    const server = await track(
      startHttpServer((req) =>
        req.socket.once('close', () => {
          sawClose = true;
        }),
      ),
    );
    const controller = new AbortController();
    const pending = get(`http://127.0.0.1:${server.port}/hang`, [], controller.signal);
    await expect.poll(() => server.seen.length).toBe(1);
    controller.abort(new Error('grace period over'));
    const error = await failure(pending);
    expect(error.code).toBe('ABORT_ERR');
    expect(error.message).toBe(`Get "http://127.0.0.1:${server.port}/hang": context canceled`);
    await expect.poll(() => sawClose).toBe(true);
  });

  it('rejects an unsupported scheme like Go', async () => {
    const error = await failure(get('baz://127.0.0.1:80/'));
    expect(error.message).toBe('Get "baz://127.0.0.1:80/": unsupported protocol scheme "baz"');
  });
});

describe('NodeHttpClient over https', () => {
  it('accepts a self-signed certificate (no verification)', async () => {
    const server = await track(startHttpsServer((_q, res) => res.end('secure')));
    const response = await get(`https://127.0.0.1:${server.port}/`, [['Host', 'localhost']]);
    expect(response.status).toBe(200);
    expect(server.seen[0]?.host).toBe('localhost');
  });

  it(`rejects with code ${HTTP_RESPONSE_TO_HTTPS_CLIENT} when a plain HTTP server answers`, async () => {
    const server = await track(startHttpServer());
    const error = await failure(get(`https://127.0.0.1:${server.port}/`));
    expect(error.code).toBe(HTTP_RESPONSE_TO_HTTPS_CLIENT);
    expect(error.message).toBe(`Get "https://127.0.0.1:${server.port}/": server gave HTTP response to HTTPS client`);
  });

  it('names the URL when an https connection is refused', async () => {
    const port = await closedPort();
    const error = await failure(get(`https://127.0.0.1:${port}/`));
    expect(error.message).toBe(
      `Get "https://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
