import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisIdempotencyStore } from '../../../src/redis/index.js';
import { type RedisServer, redisMissing, startRedis } from '../../../test/redis/redis-server.js';
import { createDrainService } from './drain-service.js';

describe.skipIf(redisMissing !== undefined)('drain service: two replicas sharing a real Redis (spec §6)', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const closers: Array<() => void> = [];
  let drains: string[] = [];

  /** One replica: its own Redis client and HTTP server; resolves to its base URL. */
  async function replica(name: string): Promise<string> {
    const options = { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true };
    const client = new Redis(server.port, '127.0.0.1', options);
    client.on('error', () => {});
    clients.push(client);
    await client.connect();
    const service = createDrainService({
      store: new RedisIdempotencyStore({ client, keyPrefix: 'drain-test:' }),
      replica: name,
      drain: async (podUID, containerName) => {
        drains.push(`${name}: ${podUID}/${containerName}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { drainedBy: name };
      },
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      service.closeAllConnections();
      service.close();
    });
    return `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    server = (await startRedis()) as RedisServer;
  });
  afterAll(async () => {
    for (const close of closers) close();
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  it('drains once when the hook reaches both replicas at once, and again for a new container instance', async () => {
    drains = [];
    const [a, b] = await Promise.all([replica('replica-a'), replica('replica-b')]);
    const hook = (base: string, instance: string) =>
      fetch(`${base}/prestop?pod=uid-1&container=web&instance=${instance}`).then(async (r) => [
        r.status,
        await r.json(),
      ]);

    const answers = await Promise.all([hook(a as string, 'i1'), hook(b as string, 'i1'), hook(b as string, 'i1')]);
    expect(drains).toHaveLength(1);
    expect(new Set(answers.map((x) => JSON.stringify(x))).size).toBe(1);
    expect(answers[0]?.[0]).toBe(200);
    expect(await hook(a as string, 'i1')).toEqual(answers[0]); // later duplicate: replayed

    await hook(b as string, 'i2'); // a restarted container is a new event
    expect(drains).toHaveLength(2);
  });

  it('answers 400 when the hook does not identify the event, and 503 while Redis is down', async () => {
    const base = await replica('replica-c');
    expect((await fetch(`${base}/prestop?pod=uid-1&container=web`)).status).toBe(400);
    await server.kill();
    expect((await fetch(`${base}/prestop?pod=uid-2&container=web&instance=i1`)).status).toBe(503);
    await server.start();
  });
});
