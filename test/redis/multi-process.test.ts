/**
 * N worker processes × M concurrent duplicates of the same delivery keys, sharing one real Redis
 * through RedisIdempotencyStore: the handler runs exactly once per key while Redis is up, and
 * every delivery gets that run's result (DESIGN §13; spec §6: hooks are delivered at least once).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, redisMissing, startRedis } from './redis-server.js';

const WORKERS = 4;
const DUPLICATES = 5;
const KEYS = ['kube-lifecycle/hook/v1/PreStop/uid-1/web/id=a', 'k2', 'k3', 'k4', 'k5'];
const worker = fileURLToPath(new URL('./delivery-worker.ts', import.meta.url));

describe.skipIf(redisMissing !== undefined)('across processes (real redis-server)', () => {
  let server: RedisServer;
  let admin: Redis;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    server = (await startRedis()) as RedisServer;
    admin = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid);
    admin?.disconnect();
    await server?.stop();
  });

  it(`${WORKERS} processes × ${DUPLICATES} concurrent duplicates of ${KEYS.length} keys: each handler runs exactly once`, async () => {
    const prefix = 'multi:';
    const started = WORKERS;
    const spawned = Array.from({ length: started }, (_, i) => {
      const job = { port: server.port, worker: i, keys: KEYS, duplicates: DUPLICATES, prefix };
      const child = fork(worker, [JSON.stringify(job)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      children.push(child);
      const ready = new Promise<void>((resolve, reject) => {
        child.once('error', reject);
        child.on('message', (m) => m === 'ready' && resolve());
      });
      const done = new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
        child.on('message', (m) => typeof m === 'object' && m !== null && resolve((m as { results: never }).results));
        child.once('exit', (code) => code !== 0 && reject(new Error(`worker ${i} exited ${code}`)));
      });
      return { child, ready, done };
    });
    await Promise.all(spawned.map((s) => s.ready));
    for (const s of spawned) s.child.send('go'); // all processes deliver at (nearly) the same moment
    const results = (await Promise.all(spawned.map((s) => s.done))).flat();

    expect(results).toHaveLength(WORKERS * DUPLICATES * KEYS.length);
    for (const key of KEYS) {
      expect(await admin.get(`${prefix}runs:${key}`), `runs of ${key}`).toBe('1');
      const ofKey = results.filter((r) => r['key'] === key);
      expect(ofKey).toHaveLength(WORKERS * DUPLICATES); // no delivery failed
      expect(new Set(ofKey.map((r) => JSON.stringify(r))).size).toBe(1); // all got the one run's result
    }
  }, 120_000);
});
