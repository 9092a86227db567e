/**
 * RedisIdempotencyStore against a real redis-server: key layout and TTLs in Redis, JSON records,
 * and the faults of DESIGN §13 (Redis down, timeouts, a connection lost between claim and
 * completion, a lease that runs out mid-handler): each a typed IdempotencyStoreError with its
 * cause, or the documented at-least-once outcome (spec §6).
 */
import { type Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { IdempotencyStoreError, idempotent } from '../../src/idempotency/index.js';
import { systemClock } from '../../src/ports/system-clock.js';
import {
  type RedisIdempotencyClient,
  RedisIdempotencyStore,
  type RedisIdempotencyStoreOptions,
  RedisStoreError,
} from '../../src/redis/index.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { type RedisServer, redisMissing, startRedis } from './redis-server.js';

// ioredis clients satisfy the structural client type as they are (Redis and Cluster).
const _typeCheck: (r: Redis, c: Cluster) => RedisIdempotencyClient[] = (r, c) => [r, c];
void _typeCheck;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(redisMissing !== undefined)('RedisIdempotencyStore on a real redis-server', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  /** A client that fails fast while Redis is down (the setup docs/idempotency.md recommends). */
  const connect = async (): Promise<Redis> => {
    const client = new Redis(server.port, '127.0.0.1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    client.on('error', () => {}); // connection errors reach the store's callers as rejections
    clients.push(client);
    await client.connect();
    return client;
  };
  const ready = async (client: Redis) => {
    for (let i = 0; i < 200 && client.status !== 'ready'; i++) await sleep(25);
    expect(client.status).toBe('ready');
  };
  let n = 0;
  const storeOn = (client: Redis, options: Partial<RedisIdempotencyStoreOptions> = {}) =>
    new RedisIdempotencyStore({ client, keyPrefix: `test:${++n}:`, ...options });

  beforeAll(async () => {
    server = (await startRedis()) as RedisServer;
  });
  afterEach(async () => {
    if (server.pid() > 0) {
      try {
        process.kill(server.pid(), 0);
      } catch {
        await server.start();
      }
    }
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  it('keeps one JSON string per key at keyPrefix + key, with the lease and the TTL as PX expiries in Redis', async () => {
    const client = await connect();
    const store = storeOn(client, { keyPrefix: 'app:idem:' });
    expect(await store.claim('k/1', { leaseMs: 5_000, owner: 'replica-a' })).toEqual({ status: 'claimed' });
    expect(JSON.parse((await client.get('app:idem:k/1')) as string)).toEqual({ state: 'claimed', owner: 'replica-a' });
    expect(await client.pttl('app:idem:k/1')).toBeGreaterThan(4_000);
    expect(await client.pttl('app:idem:k/1')).toBeLessThanOrEqual(5_000);

    await store.set(
      'k/1',
      { state: 'completed', value: { drained: 3 }, completedAt: 42 },
      { ttlMs: 60_000, owner: 'replica-a' },
    );
    expect(JSON.parse((await client.get('app:idem:k/1')) as string)).toEqual({
      state: 'completed',
      value: { drained: 3 },
      completedAt: 42,
    });
    expect(await client.pttl('app:idem:k/1')).toBeGreaterThan(59_000);
    await store.set('k/2', { state: 'completed', value: 1, completedAt: 0 }, { ttlMs: Number.POSITIVE_INFINITY });
    expect(await client.pttl('app:idem:k/2')).toBe(-1); // no expiry
    await store.delete('k/2');
    expect(await client.exists('app:idem:k/2')).toBe(0);
  });

  it.each([
    ['a Date', new Date(0), 'value.at is a Date instance'],
    ['a Map', new Map([[1, 2]]), 'value.at is a Map instance'],
    ['NaN', Number.NaN, 'value.at is NaN'],
    ['a bigint', 10n, 'value.at is a bigint'],
    ['undefined in an array', [1, undefined], 'value.at[1] is undefined'],
    ['a function', () => 1, 'value.at is a function'],
  ])('rejects %s in a result at set (ERR_NOT_JSON), before writing anything', async (_, bad, problem) => {
    const client = await connect();
    const store = storeOn(client);
    let runs = 0;
    const onHook = idempotent(async () => ({ ran: ++runs, at: bad }), { store, key: () => 'k', owner: 'a' });
    const error = (await onHook().catch((e: unknown) => e)) as IdempotencyStoreError;
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(error.operation).toBe('set');
    expect(error.value).toEqual({ ran: 1, at: bad });
    expect(error.cause).toBeInstanceOf(RedisStoreError);
    expect(error.cause).toMatchObject({ code: 'ERR_NOT_JSON' });
    expect((error.cause as Error).message).toContain(problem);
    expect(await client.get(`${store.keyPrefix}k`)).toContain('"claimed"'); // only the claim is there
  });

  it('a cycle is rejected at set too', async () => {
    const store = storeOn(await connect());
    const value: Record<string, unknown> = {};
    value['self'] = value;
    await expect(store.set('k', { state: 'completed', value, completedAt: 0 }, {})).rejects.toMatchObject({
      code: 'ERR_NOT_JSON',
      message: expect.stringContaining('value.self refers back to itself'),
    });
  });

  it('a value it did not write is ERR_REDIS_DATA, not a run', async () => {
    const client = await connect();
    const store = storeOn(client);
    await client.set(`${store.keyPrefix}k`, 'not json');
    let runs = 0;
    const error = await idempotent(async () => ++runs, { store, key: () => 'k' })().catch((e: unknown) => e);
    expect(error).toMatchObject({ operation: 'claim', cause: { code: 'ERR_REDIS_DATA' } });
    expect(runs).toBe(0);
  });

  it('Redis down: the claim rejects with an IdempotencyStoreError (cause ERR_REDIS_COMMAND); the handler does not run', async () => {
    const client = await connect();
    const store = storeOn(client);
    await server.kill();
    let runs = 0;
    const error = await idempotent(async () => ++runs, { store, key: () => 'k' })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(error).toMatchObject({ operation: 'claim', cause: { code: 'ERR_REDIS_COMMAND', name: 'RedisStoreError' } });
    expect(runs).toBe(0);
    await server.start();
    await ready(client);
    expect(await idempotent(async () => ++runs, { store, key: () => 'k' })()).toBe(1); // back up: it runs
  });

  it('a command Redis does not answer in time rejects with ERR_REDIS_TIMEOUT (CLIENT PAUSE)', async () => {
    const client = await connect();
    const admin = await connect();
    const store = storeOn(client, { timeoutMs: 200 });
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
    const started = Date.now();
    const error = await idempotent(async () => 1, { store, key: () => 'k' })().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(error).toMatchObject({ operation: 'claim', cause: { code: 'ERR_REDIS_TIMEOUT' } });
    await admin.call('CLIENT', 'UNPAUSE');
  });

  it('timeoutMs is measured on the injected clock (a client that never answers)', async () => {
    const clock = new VirtualClock();
    const never = () => new Promise<never>(() => {});
    const client = { get: never, set: never, del: never, eval: never } as unknown as RedisIdempotencyClient;
    const store = new RedisIdempotencyStore({ client, clock, timeoutMs: 300 });
    let settled: unknown;
    store.get('k').catch((e: unknown) => (settled = e));
    await clock.advance(299);
    expect(settled).toBeUndefined();
    await clock.advance(1);
    expect(settled).toMatchObject({ code: 'ERR_REDIS_TIMEOUT', redisKey: 'kube-lifecycle:idempotency:k' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('the connection lost between claim and completion: set fails with the value; a later delivery may run again', async () => {
    const client = await connect();
    const store = storeOn(client);
    let runs = 0;
    const onHook = idempotent(
      async () => {
        runs++;
        await server.kill(); // Redis goes away while the handler runs
        return `run ${runs}`;
      },
      { store, key: () => 'k', owner: 'a' },
    );
    const error = (await onHook().catch((e: unknown) => e)) as IdempotencyStoreError;
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(error).toMatchObject({ operation: 'set', value: 'run 1', cause: { code: 'ERR_REDIS_COMMAND' } });
    await server.start(); // a Redis without persistence comes back empty: the claim is gone too
    await ready(client);
    const again = idempotent(async () => `run ${++runs}`, { store, key: () => 'k', owner: 'b' });
    expect(await again()).toBe('run 2'); // the documented at-least-once outcome
  });

  it('a lease that runs out mid-handler: another replica runs too, and the first completion is replayed', async () => {
    const store = storeOn(await connect());
    const order: string[] = [];
    const replica = (owner: string, ms: number) =>
      idempotent(
        async () => {
          order.push(`${owner} runs`);
          await sleep(ms);
          return owner;
        },
        { store, key: () => 'k', owner, leaseMs: 300, pollMs: 20, clock: systemClock },
      );
    const a = replica('a', 700)();
    await sleep(50);
    const b = replica('b', 100)(); // busy until a's lease ends at ~300 ms, then runs
    expect(await b).toBe('b');
    expect(await a).toBe('a');
    expect(order).toEqual(['a runs', 'b runs']);
    expect(await replica('c', 0)()).toBe('b'); // b completed first; a's later completion kept it
  });

  it('rejects a client without the needed commands', () => {
    expect(() => new RedisIdempotencyStore({ client: {} as RedisIdempotencyClient })).toThrow(InvalidArgumentError);
    expect(
      () => new RedisIdempotencyStore({ client: { get() {}, set() {}, del() {}, eval() {} } as never, leaseMs: 0 }),
    ).toThrow(/leaseMs/);
  });
});
