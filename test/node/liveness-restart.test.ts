/**
 * A real process killed and restarted by its liveness probe (issue 15 "Done when"; spec pod §6.1
 * Actions): ProcessRuntime runs a small Node HTTP server that answers 200 to its first two
 * requests and 500 after; the manager's httpGet liveness probe (NodeHttpClient, the real clock)
 * fails twice, kills it with the kubelet's message, and the pod worker starts it again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { ProcessRuntime } from '../../src/node/process-runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'kl-liveness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

describe('liveness over HTTP on a real process (spec pod §6.1, §6.2)', () => {
  it('a server whose /healthz starts failing is killed (Killing: failed liveness probe) and restarted', async () => {
    const port = await freePort();
    const server = join(dir, 'server.mjs');
    writeFileSync(
      server,
      `import { createServer } from 'node:http';
let served = 0;
createServer((req, res) => { served++; res.statusCode = served <= 2 ? 200 : 500; res.end(String(served)); })
  .listen(${port}, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`,
    );
    const runtime = new ProcessRuntime();
    const httpClient = new NodeHttpClient();
    const manager = new LifecycleManager({ runtime, httpClient });
    const events: KubeEvent[] = [];
    manager.on('event', (e) => events.push(e));
    const pod: Pod = {
      metadata: { name: 'web', namespace: 'default', uid: 'uid-liveness' },
      spec: {
        terminationGracePeriodSeconds: 5,
        containers: [
          {
            name: 'web',
            image: 'node',
            command: [process.execPath, server],
            livenessProbe: {
              httpGet: { host: '127.0.0.1', port, path: '/healthz' },
              initialDelaySeconds: 1,
              periodSeconds: 1,
              failureThreshold: 2,
            },
          },
        ],
      },
    };
    try {
      await manager.startPod(pod);
      const restarted = await manager.waitForPod(
        pod,
        (s) => s.containerStatuses[0]?.restartCount === 1 && s.containerStatuses[0].state.running !== undefined,
        { timeoutMs: 20_000 },
      );
      expect(restarted.containerStatuses[0]?.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      const reasons = events.map((e) => `${e.reason}: ${e.message}`);
      expect(reasons.filter((r) => r.startsWith('Unhealthy'))).toEqual([
        'Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500',
        'Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500',
      ]);
      expect(reasons).toContain('Killing: Container web failed liveness probe, will be restarted');
      expect(reasons.filter((r) => r.startsWith('Started'))).toHaveLength(2);
    } finally {
      await manager.deletePod(pod, { gracePeriodSeconds: 1 });
      await runtime.dispose();
      httpClient.dispose?.();
    }
  }, 30_000);
});
