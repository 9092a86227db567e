// The kubelet's httpGet failure detail through the real HTTP client (spec §5.2): the client's
// `Get "<url>": <cause>` text appears once, not wrapped a second time by the core.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import { runHandler } from '../../src/hooks/run-handler.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { systemClock } from '../../src/ports/system-clock.js';

/** A loopback port nobody listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('httpGet failure detail with NodeHttpClient', () => {
  it('reads like the kubelet: one Go url.Error, naming the URL and the refused connection', async () => {
    const port = await closedPort();
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'default', uid: 'u' },
      spec: { containers: [{ name: 'web' }] },
      status: { podIP: '127.0.0.1' },
    };
    const outcome = await runHandler(
      { httpGet: { port, path: '/drain', scheme: 'HTTP' } },
      {
        pod,
        container: { name: 'web' },
        ref: { id: 'c1', name: 'web', podName: 'p', podNamespace: 'default', podUID: 'u' },
        hook: 'PreStop',
        runtime: {
          startContainer: async () => ({ id: 'c1' }),
          exec: async () => ({ exitCode: 0 }),
          stopContainer: async () => undefined,
        },
        httpClient: new NodeHttpClient(),
        clock: systemClock,
        kubeletVersion: '1.35',
        policy: kubernetesPolicy,
        signal: new AbortController().signal,
        emit: () => undefined,
      },
    );
    expect(outcome.ok).toBe(false);
    const message = outcome.ok ? '' : outcome.message;
    expect(message).toBe(
      `HTTP lifecycle hook (/drain) for Container "web" in Pod "p_default(u)" failed - error: ` +
        `Get "http://127.0.0.1:${port}/drain": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });
});
