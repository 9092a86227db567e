/**
 * A preStop drain service with several replicas behind one Service (docs/idempotency.md, "Across
 * replicas"). A duplicate delivery of the hook (spec §6) may reach another replica, so the
 * replicas share a RedisIdempotencyStore: whichever claims the delivery first drains, the others
 * wait for its record and answer with the same report.
 *
 * Run it: `REDIS_URL=redis://127.0.0.1:6379 PORT=8080 npx tsx docs/examples/idempotent-prestop/drain-service.ts`
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import {
  hookDeliveryKey,
  type IdempotencyStore,
  IdempotencyStoreError,
  InvalidArgumentError,
  idempotent,
} from '../../../src/index.js';
import { RedisIdempotencyStore } from '../../../src/redis/index.js';

export interface DrainServiceOptions {
  /** Shared by every replica: a RedisIdempotencyStore. */
  readonly store: IdempotencyStore;
  /** This replica's name (the claim owner): unique per replica, e.g. the pod name. */
  readonly replica: string;
  /** The side effect to run once per preStop event. Its result must be JSON. */
  readonly drain: (podUID: string, containerName: string) => Promise<unknown>;
}

/** `GET /prestop?pod=<uid>&container=<name>&instance=<id>` drains once per event, whichever replica it reaches. */
export function createDrainService(options: DrainServiceOptions): Server {
  const onPreStop = idempotent(
    (podUID: string, containerName: string, _instance: string) => options.drain(podUID, containerName),
    {
      store: options.store,
      owner: options.replica,
      leaseMs: 20_000, // longer than a drain ever takes, shorter than the pod's grace period
      key: (podUID, containerName, instance) =>
        hookDeliveryKey({ podUID, containerName, containerID: instance, hook: 'PreStop' }),
    },
  );

  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://drain-service');
    if (request.method !== 'GET' || url.pathname !== '/prestop') {
      response.writeHead(404).end();
      return;
    }
    const [pod, container, instance] = ['pod', 'container', 'instance'].map((name) => url.searchParams.get(name) ?? '');
    onPreStop(pod as string, container as string, instance as string).then(
      (report) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report)),
      (error: unknown) => {
        // 400: the hook did not say which event it is. 503: Redis is down or slow; `operation`
        // tells whether the drain ran here ('set') or not ('claim'). 500: the drain failed.
        const status = error instanceof InvalidArgumentError ? 400 : error instanceof IdempotencyStoreError ? 503 : 500;
        response.writeHead(status).end(String(error));
      },
    );
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Fail fast while Redis is down (no offline queue, one retry); the store bounds every command too.
  const client = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  const store = new RedisIdempotencyStore({ client, keyPrefix: 'drain-service:' });
  const service = createDrainService({
    store,
    replica: process.env['HOSTNAME'] ?? randomUUID(),
    drain: async (podUID, containerName) => {
      console.log(`draining ${podUID}/${containerName}`);
      return { drained: `${podUID}/${containerName}` };
    },
  });
  service.listen(Number(process.env['PORT'] ?? 8080));
}
