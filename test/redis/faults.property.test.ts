/**
 * Property: replicas sharing a real Redis through RedisIdempotencyStore, with injected faults
 * (commands dropped before they reach Redis, replies lost after Redis applied them, delays, and
 * Redis killed and restarted empty mid-run). Checks the documented outcome (docs/idempotency.md,
 * "Across replicas"; spec §6 at-least-once):
 * - no hang, and every delivery resolves with the result of a real run of its key or rejects with
 *   a typed IdempotencyStoreError;
 * - no delivery is lost: once Redis is healthy, a redelivery of every key resolves, and every key
 *   has run at least once;
 * - duplicates are bounded: runs(key) ≤ 1 + Redis restarts + deliveries of the key whose `set`
 *   failed (each a run whose result could not be remembered).
 */
import { fc, test } from '@fast-check/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { IdempotencyStoreError, idempotent } from '../../src/idempotency/index.js';
import { type RedisIdempotencyClient, RedisIdempotencyStore, RedisStoreError } from '../../src/redis/index.js';
import { type RedisServer, redisMissing, startRedis } from './redis-server.js';

type Fault = 'ok' | 'drop-before' | 'drop-after' | 'delay';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `client` with a fault from `next()` applied to each command. */
function faulty(client: Redis, next: () => Fault): RedisIdempotencyClient {
  const send =
    <A extends unknown[]>(command: (...args: A) => Promise<unknown>) =>
    async (...args: A) => {
      const fault = next();
      if (fault === 'drop-before') throw new Error('injected: connection dropped before the command was sent');
      if (fault === 'delay') await sleep(30);
      const reply = await command(...args);
      if (fault === 'drop-after') throw new Error('injected: connection dropped before the reply arrived');
      return reply;
    };
  return {
    get: send((key: string) => client.get(key)),
    set: send((...args: unknown[]) => (client.set as (...a: unknown[]) => Promise<unknown>)(...args)),
    del: send((key: string) => client.del(key)),
    eval: send((...args: unknown[]) => (client.eval as (...a: unknown[]) => Promise<unknown>)(...args)),
  } as RedisIdempotencyClient;
}

const REPLICAS = 3;

describe.skipIf(redisMissing !== undefined)('faults (real redis-server, fast-check)', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = (await startRedis()) as RedisServer;
    for (let i = 0; i < REPLICAS; i++) {
      const client = new Redis(server.port, '127.0.0.1', {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: () => 20,
      });
      client.on('error', () => {});
      clients.push(client);
    }
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });
  const allReady = async () => {
    for (let i = 0; i < 400 && clients.some((c) => c.status !== 'ready'); i++) await sleep(10);
    expect(clients.map((c) => c.status)).toEqual(clients.map(() => 'ready'));
  };

  let round = 0;
  test.prop(
    [
      fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), replica: fc.nat(REPLICAS - 1), at: fc.nat(80) }), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.array(fc.constantFrom<Fault>('ok', 'ok', 'ok', 'drop-before', 'drop-after', 'delay'), {
        minLength: 1,
        maxLength: 10,
      }),
      fc.option(fc.nat(120), { nil: undefined }),
    ],
    { numRuns: 15, endOnFailure: true },
  )(
    'no delivery lost, no hang, duplicates bounded by restarts and failed sets',
    async (deliveries, faults, restartAt) => {
      await allReady();
      const prefix = `faults:${++round}:`;
      let faultsOn = true;
      let command = 0;
      const next = (): Fault => (faultsOn ? (faults[command++ % faults.length] as Fault) : 'ok');
      const runs: Array<{ key: string; value: string }> = [];
      const wrappers = clients.map((client, i) =>
        idempotent(
          async (key: string) => {
            const value = `${key}#${runs.length}`;
            await sleep(20);
            runs.push({ key, value });
            return value;
          },
          {
            store: new RedisIdempotencyStore({ client: faulty(client, next), keyPrefix: prefix, timeoutMs: 1_000 }),
            key: (key) => key,
            owner: `replica-${i}`,
            leaseMs: 2_000,
            pollMs: 20,
          },
        ),
      );

      let restarts = 0;
      const restart =
        restartAt === undefined
          ? Promise.resolve()
          : sleep(restartAt).then(async () => {
              await server.kill();
              restarts++;
              await server.start();
            });
      const outcomes = deliveries.map(({ key, replica, at }) =>
        sleep(at).then(() => (wrappers[replica] as (key: string) => Promise<string>)(key)),
      );
      const settled = await Promise.race([
        Promise.allSettled(outcomes),
        sleep(15_000).then(() => {
          throw new Error('a delivery hung for 15 s');
        }),
      ]);
      await restart;

      const setFailures = new Map<string, number>();
      settled.forEach((outcome, i) => {
        const key = deliveries[i]?.key as string;
        if (outcome.status === 'fulfilled') {
          expect(runs.filter((r) => r.key === key).map((r) => r.value)).toContain(outcome.value);
        } else {
          expect(outcome.reason).toBeInstanceOf(IdempotencyStoreError);
          expect((outcome.reason as IdempotencyStoreError).cause).toBeInstanceOf(RedisStoreError);
          if ((outcome.reason as IdempotencyStoreError).operation === 'set') {
            setFailures.set(key, (setFailures.get(key) ?? 0) + 1);
          }
        }
      });

      // Redis healthy again: a redelivery of every key resolves, and every key has run.
      faultsOn = false;
      await allReady();
      for (const key of new Set(deliveries.map((d) => d.key))) {
        await expect((wrappers[0] as (key: string) => Promise<string>)(key)).resolves.toMatch(new RegExp(`^${key}#`));
        const ofKey = runs.filter((r) => r.key === key).length;
        expect(ofKey).toBeGreaterThanOrEqual(1);
        expect(
          ofKey,
          `runs of ${key}: restarts ${restarts}, failed sets ${setFailures.get(key) ?? 0}`,
        ).toBeLessThanOrEqual(1 + restarts + (setFailures.get(key) ?? 0));
      }
    },
  );
});
