/**
 * A preStop HTTP receiver made idempotent (docs/idempotency.md).
 *
 * The kubelet sends `GET /prestop` before stopping the container (pod spec: `pod.yaml`). Delivery
 * is at least once (spec §6), so `drain` is wrapped with `idempotent()`: a duplicate delivery,
 * sequential or concurrent, waits for / replays the first one instead of draining twice.
 *
 * Run it: `POD_UID=u1 CONTAINER_NAME=web PORT=8080 npx tsx docs/examples/idempotent-prestop/server.ts`
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { hookDeliveryKey, idempotent, MemoryIdempotencyStore, systemClock } from '../../../src/index.js';

/** What one drain did; replayed as-is to duplicate deliveries. */
export interface DrainReport {
  readonly drainedConnections: number;
}

export interface PreStopServerOptions {
  /** The pod's `metadata.uid` (downward API env). */
  readonly podUID: string;
  /** This container's name. */
  readonly containerName: string;
  /**
   * Identifies this container instance. The receiver runs inside the container, where the
   * runtime's container ID is not visible; a value made once per process start serves the same
   * purpose, because a restart starts a new process (and a new in-memory store).
   */
  readonly containerInstance: string;
  /** The side effect to run once per preStop event: deregister, flush, close connections… */
  readonly drain: () => Promise<DrainReport>;
}

/** An HTTP server answering `GET /prestop` with the (single) drain's report as JSON. */
export function createPreStopServer(options: PreStopServerOptions): Server {
  const store = new MemoryIdempotencyStore({ clock: systemClock, ttlMs: 10 * 60_000, maxEntries: 100 });
  const onPreStop = idempotent(options.drain, {
    store,
    key: () =>
      hookDeliveryKey({
        podUID: options.podUID,
        containerName: options.containerName,
        containerID: options.containerInstance,
        hook: 'PreStop',
      }),
  });

  return createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/prestop') {
      response.writeHead(404).end();
      return;
    }
    onPreStop().then(
      (report) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report)),
      // The kubelet ignores the status (spec §9.1); a 500 still shows up in our own logs.
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let open = 3;
  const server = createPreStopServer({
    podUID: process.env['POD_UID'] ?? 'local',
    containerName: process.env['CONTAINER_NAME'] ?? 'web',
    containerInstance: randomUUID(),
    drain: async () => {
      const drainedConnections = open;
      open = 0;
      console.log(`drained ${drainedConnections} connections`);
      return { drainedConnections };
    },
  });
  server.listen(Number(process.env['PORT'] ?? 8080), () => console.log('preStop receiver listening', server.address()));
}
