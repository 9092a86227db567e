/** NodeHttpClient.dispose (issue 18: a hanging request left by a test keeps the process alive). */
import http from 'node:http';
import type net from 'node:net';
import { expect, it } from 'vitest';
import { NodeHttpClient } from '../../src/node/node-http-client.js';

it('dispose ends the requests in flight, refuses new ones, and is idempotent', async () => {
  const sockets = new Set<net.Socket>();
  const server = http.createServer(() => undefined); // never answers
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hang`;
  try {
    const client = new NodeHttpClient();
    const signal = new AbortController().signal;
    const pending = client.request({ method: 'GET', url, headers: [] }, { signal });
    await expect.poll(() => sockets.size).toBe(1);
    const first = client.dispose();
    expect(client.dispose()).toBe(first);
    await first;
    await expect(pending).rejects.toMatchObject({
      code: 'ERR_DISPOSED',
      message: `Get "${url}": NodeHttpClient was disposed`,
    });
    await expect.poll(() => sockets.size).toBe(0); // the connection is gone: nothing keeps the process alive
    await expect(client.request({ method: 'GET', url, headers: [] }, { signal })).rejects.toMatchObject({
      code: 'ERR_DISPOSED',
    });
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
