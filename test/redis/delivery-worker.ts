/**
 * One "replica" process of the multi-process test: connects to Redis, waits for `go`, then
 * delivers every key `duplicates` times at once through as many idempotent() wrappers (distinct
 * owners) sharing one RedisIdempotencyStore, and reports what each delivery resolved with.
 * The handler counts its runs in Redis (`INCR runs:<key>`), where the parent reads them.
 */
import { Redis } from 'ioredis';
import { idempotent } from '../../src/idempotency/index.js';
import { RedisIdempotencyStore } from '../../src/redis/index.js';

interface Job {
  readonly port: number;
  readonly worker: number;
  readonly keys: readonly string[];
  readonly duplicates: number;
  readonly prefix: string;
}

const job = JSON.parse(process.argv[2] as string) as Job;
const client = new Redis(job.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
const store = new RedisIdempotencyStore({ client, keyPrefix: job.prefix, leaseMs: 10_000 });

const handler = async (key: string, replica: string) => {
  const run = await client.incr(`${job.prefix}runs:${key}`);
  await new Promise((resolve) => setTimeout(resolve, 30)); // long enough for every duplicate to collide
  return { key, ranBy: replica, run };
};
const wrappers = Array.from({ length: job.duplicates }, (_, i) =>
  idempotent(handler, { store, key: (key) => key, owner: `worker-${job.worker}/replica-${i}`, pollMs: 10 }),
);

process.on('message', async (message) => {
  if (message !== 'go') return;
  const settled = await Promise.allSettled(
    job.keys.flatMap((key) => wrappers.map((deliver, i) => deliver(key, `worker-${job.worker}/replica-${i}`))),
  );
  const results = settled.map((s) => (s.status === 'fulfilled' ? s.value : { error: String(s.reason) }));
  process.send?.({ results }, () => {
    client.disconnect();
    process.exit(0);
  });
});
await client.ping();
process.send?.('ready');
