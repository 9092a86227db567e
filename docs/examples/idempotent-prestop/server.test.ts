import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPreStopServer, type DrainReport } from './server.js';

describe('idempotent preStop receiver (node:http, real clock)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function start(drain: () => Promise<DrainReport>) {
    const server = createPreStopServer({
      podUID: 'uid-1',
      containerName: 'web',
      containerInstance: 'instance-1',
      drain,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    const { port } = server.address() as AddressInfo;
    const deliver = async (): Promise<unknown> => {
      const response = await fetch(`http://127.0.0.1:${port}/prestop`);
      expect(response.status).toBe(200);
      return response.json();
    };
    return { server, deliver };
  }

  it('drains once when the hook is delivered twice, one after the other', async () => {
    let drains = 0;
    const { deliver } = await start(async () => ({ drainedConnections: ++drains }));

    const first = await deliver();
    const second = await deliver();

    expect(drains).toBe(1);
    expect(second).toEqual(first);
  });

  it('drains once when two deliveries arrive while the first is still draining', async () => {
    let drains = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { server, deliver } = await start(async () => {
      drains++;
      await gate;
      return { drainedConnections: 7 };
    });
    let received = 0;
    const bothArrived = new Promise<void>((resolve) => server.on('request', () => ++received === 2 && resolve()));

    const responses = Promise.all([deliver(), deliver()]);
    await bothArrived; // both requests are in the server before the drain finishes
    release();

    expect(await responses).toEqual([{ drainedConnections: 7 }, { drainedConnections: 7 }]);
    expect(drains).toBe(1);
  });
});
