// An httpGet hook failure says which URL failed and why (issue 18). The kubelet's own texts stay as
// spec §5.2 pins them (`error`, and the message up to it); a failure before any URL exists (no pod
// IP: the kubelet's Go struct dump; a bad port) gets a plain reason after them.
import { describe, expect, it } from 'vitest';
import type { HTTPGetAction, Pod } from '../../src/api/types.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import { runHttpGetHandler } from '../../src/hooks/http-handler.js';
import type { HandlerOutcome } from '../../src/hooks/types.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

function run(httpGet: HTTPGetAction, podIP?: string): Promise<HandlerOutcome> {
  const clock = new VirtualClock();
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] },
    ...(podIP === undefined ? {} : { status: { podIP } }),
  };
  return runHttpGetHandler(httpGet, {
    pod,
    container: pod.spec!.containers[0]!,
    ref: { id: 'c1', name: 'web', podName: 'p', podNamespace: 'default', podUID: 'u' },
    hook: 'PreStop',
    runtime: {
      startContainer: async () => ({ id: 'c1' }),
      exec: async () => ({ exitCode: 0 }),
      stopContainer: async () => undefined,
    },
    httpClient: new FakeHttpClient({ clock }),
    clock,
    kubeletVersion: '1.35',
    policy: kubernetesPolicy,
    signal: new AbortController().signal,
    emit: () => undefined,
  });
}

const prefix = 'HTTP lifecycle hook (/drain) for Container "web" in Pod "p_default(u)" failed - error: ';

describe('httpGet failure detail names the URL and the reason (issue 18, spec §5.2)', () => {
  it('no pod IP and no host: the kubelet text, then why no URL was requested', async () => {
    const outcome = await run({ port: 8080, path: '/drain' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const kubeletError = 'failed to find networking container: &{ID:u Name:p Namespace:default IPs:[]}';
    expect(outcome.error).toBe(kubeletError);
    expect(outcome.message).toBe(
      `${prefix}${kubeletError}; no URL was requested: the pod has no IP (status.podIP / status.podIPs are empty) ` +
        'and httpGet.host is not set. Set httpGet.host, or give the pod an IP in status.podIP as the kubelet would',
    );
  });

  it.each([
    ['a name no port has', 'metrics', 'strconv.Atoi: parsing "metrics": invalid syntax', '"metrics"'],
    ['port 0', 0, 'invalid port number: 0', '0'],
  ])('a bad port (%s): the kubelet text, then which field', async (_label, port, kubeletError, shown) => {
    const outcome = await run({ port, path: '/drain' }, '10.0.0.7');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBe(kubeletError);
    expect(outcome.message).toBe(
      `${prefix}${kubeletError}; no URL was requested: httpGet.port ${shown} is neither the name of a port of ` +
        'container "web" nor a port number from 1 to 65535',
    );
  });

  it('a failure with a URL keeps the kubelet text alone: Get <url>: <why>', async () => {
    const outcome = await run({ port: 'http', path: '/drain' }, '10.0.0.7');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.message.startsWith(`${prefix}Get "http://10.0.0.7:8080/drain": `)).toBe(true);
    expect(outcome.message).not.toContain('no URL was requested');
  });
});
