/**
 * Scripted probe results for `simulate` (`--probe web.liveness=fail@30s`, issue 15 item 6): the
 * probe's own handler runs against the testing kit's fakes, which answer from the testing kit's
 * probe scripts (`failFrom`, `passFrom`, `hangFrom`, `flapEvery`): an exec probe exits 0 or 1, an
 * httpGet probe gets 200 or 500, a tcpSocket probe connects or is refused, a grpc probe gets
 * `SERVING` or `NOT_SERVING`; `hang` never answers, so the probe's `timeoutSeconds` decides.
 * Time in a script is virtual time since the start of the simulation.
 *
 * @module
 */

import type { Pod } from '../api/types.js';
import type { Clock } from '../ports/clock.js';
import type { HttpResponse } from '../ports/http-client.js';
import type { FakeHttpClient } from '../testing/fake-http-client.js';
import { FakeGrpcHealthChecker, FakeTcpDialer } from '../testing/fake-probe-ports.js';
import type { FakeRuntime } from '../testing/fake-runtime.js';
import type { ProbeScript } from '../testing/probe-scripts.js';
import { probeOf, type ScriptedProbe, toProbeScript } from './pod-scripts.js';

/** The probe ports of a simulation, scripted. */
export interface ProbeFakes {
  readonly tcpDialer: FakeTcpDialer;
  readonly grpcHealthChecker: FakeGrpcHealthChecker;
  /** How many times each scripted probe was answered (a probe the manager never ran stays at 0). */
  readonly calls: Map<ScriptedProbe, number>;
}

/** Waits until `signal` aborts (a probe target that never answers). */
function hangUntil(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Scripts the fakes so that each scripted probe's handler gets the scripted answers. */
export function scriptProbes(
  pod: Pod,
  probes: Iterable<ScriptedProbe>,
  fakes: { readonly runtime: FakeRuntime; readonly http: FakeHttpClient; readonly clock: Clock },
): ProbeFakes {
  const { runtime, http, clock } = fakes;
  const origin = clock.now();
  const tcpDialer = new FakeTcpDialer({ clock });
  const grpcHealthChecker = new FakeGrpcHealthChecker({ clock });
  const calls = new Map<ScriptedProbe, number>();
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const scripted of probes) {
    const container = containers.find((c) => c.name === scripted.container);
    const probe = container === undefined ? undefined : probeOf(container, scripted.probe);
    if (container === undefined || probe === undefined) continue; // checked before (checkPodScripts)
    calls.set(scripted, 0);
    const inner = toProbeScript(scripted.script, probe.periodSeconds ?? 10);
    const script: ProbeScript = (elapsedMs) => {
      calls.set(scripted, (calls.get(scripted) ?? 0) + 1);
      return inner(elapsedMs);
    };
    const verdict = (): ReturnType<ProbeScript> => script(clock.now() - origin);
    const portOf = (port: number | string | undefined): number => {
      if (typeof port === 'number') return port;
      const named = container.ports?.find((p) => p.name === port)?.containerPort;
      return typeof named === 'number' ? named : Number(port);
    };
    if (probe.exec !== undefined) {
      const argv = probe.exec.command ?? [];
      runtime.onExec(
        (actual, ref) =>
          ref.name === container.name && actual.length === argv.length && actual.every((a, i) => a === argv[i]),
        async (call) => {
          const v = verdict();
          if (v === 'hang') return hangUntil(call.signal);
          return v === 'pass'
            ? { exitCode: 0, stdout: '', stderr: '' }
            : { exitCode: 1, stdout: '', stderr: `scripted ${scripted.probe} probe failure` };
        },
      );
    } else if (probe.httpGet !== undefined) {
      const path = probe.httpGet.path ?? '/';
      const port = portOf(probe.httpGet.port);
      http.route(
        (request, url) =>
          url.pathname === (path.startsWith('/') ? path : `/${path}`) &&
          Number(url.port || (url.protocol === 'https:' ? 443 : 80)) === port &&
          request.headers.some(
            ([name, value]) => name.toLowerCase() === 'user-agent' && value.startsWith('kube-probe/'),
          ),
        async (_request, { signal }): Promise<HttpResponse> => {
          const v = verdict();
          if (v === 'hang') return hangUntil(signal);
          return { status: v === 'pass' ? 200 : 500 };
        },
      );
    } else if (probe.tcpSocket !== undefined) {
      tcpDialer.script('*', portOf(probe.tcpSocket.port), (elapsedMs) => script(elapsedMs));
    } else if (probe.grpc !== undefined) {
      grpcHealthChecker.script('*', probe.grpc.port, probe.grpc.service ?? '', (elapsedMs) => script(elapsedMs));
    }
  }
  return { tcpDialer, grpcHealthChecker, calls };
}
