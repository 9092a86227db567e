/** NodeTcpDialer against real loopback servers: the tcpSocket probe's port (DESIGN §11, spec pod §6). */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeTcpDialer } from '../../src/node/node-tcp-dialer.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('NodeTcpDialer', () => {
  it('resolves once connected, and closes the connection without sending anything', async () => {
    const received: Buffer[] = [];
    const closed: boolean[] = [];
    const port = await listen(
      net.createServer((socket) => {
        socket.on('data', (d) => received.push(d));
        socket.on('close', () => closed.push(true));
      }),
    );
    const signal = new AbortController().signal;
    await expect(new NodeTcpDialer().connect('127.0.0.1', port, { signal })).resolves.toBeUndefined();
    await expect.poll(() => closed.length).toBe(1);
    expect(Buffer.concat(received).length).toBe(0);
  });

  it('a refused connection rejects with the kubelet tcp probe wording (pkg/probe/tcp/tcp.go: Go net.Dial error)', async () => {
    const port = await refusedPort();
    await expect(
      new NodeTcpDialer().connect('127.0.0.1', port, { signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      name: 'TcpDialError',
      code: 'ECONNREFUSED',
      message: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('a timeout through the signal rejects as Go words it (i/o timeout); another abort as canceled', async () => {
    // A loopback connect completes at once: abort in the same tick, while the dial is in flight.
    const port = await listen(net.createServer((s) => s.end()));
    const dialer = new NodeTcpDialer();
    const timeout = new AbortController();
    const timingOut = dialer.connect('127.0.0.1', port, { signal: timeout.signal });
    timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    await expect(timingOut).rejects.toMatchObject({
      code: 'ETIMEDOUT',
      message: `dial tcp 127.0.0.1:${port}: i/o timeout`,
    });
    const cancel = new AbortController();
    const canceled = dialer.connect('127.0.0.1', port, { signal: cancel.signal });
    cancel.abort(new Error('probe stopped'));
    await expect(canceled).rejects.toMatchObject({
      code: 'ABORT_ERR',
      message: `dial tcp 127.0.0.1:${port}: operation was canceled`,
    });
    const expired = AbortSignal.abort(new DOMException('timed out', 'TimeoutError')); // as AbortSignal.timeout's reason
    await expect(dialer.connect('127.0.0.1', port, { signal: expired })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('removes its abort listener however the dial ends', async () => {
    const port = await listen(net.createServer((s) => s.end()));
    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    const dialer = new NodeTcpDialer();
    await dialer.connect('127.0.0.1', port, { signal: controller.signal });
    await dialer.connect('127.0.0.1', await refusedPort(), { signal: controller.signal }).catch(() => undefined);
    expect(listeners).toBe(0);
  });
});
