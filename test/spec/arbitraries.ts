/**
 * fast-check arbitraries for pods that the API server accepts (spec §2), used by the property
 * tests of `src/spec`. Self-contained (only fast-check and the spec types), so the testing kit can
 * ship a copy.
 *
 * @module
 */
import fc from 'fast-check';
import { SIGNAL_NAMES, type Container, type LifecycleHandler, type Lifecycle, type Pod, type Probe } from '../../src/spec/types.js';

/** A valid container name (DNS-1123 label, at most 63 bytes). */
export const containerNameArbitrary: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?$/);

/** A valid IANA_SVC_NAME port name: ≤ 15 chars of `[-a-z0-9]`, a letter, no `--`, no edge `-`. */
export const portNameArbitrary: fc.Arbitrary<string> = fc.stringMatching(/^[0-9]{0,3}[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,6})?$/);

/** A valid port: 1..65535 or a port name. */
export const portArbitrary: fc.Arbitrary<number | string> = fc.oneof(fc.integer({ min: 1, max: 65535 }), portNameArbitrary);

/** A valid HTTP header name (`[-A-Za-z0-9]+`). */
export const headerNameArbitrary: fc.Arbitrary<string> = fc.stringMatching(/^[-A-Za-z0-9]{1,20}$/);

/** A valid lifecycle handler (exactly one of exec, httpGet, tcpSocket, sleep ≤ `gracePeriodSeconds`). */
export function validHandlerArbitrary(gracePeriodSeconds: number): fc.Arbitrary<LifecycleHandler> {
  const exec = fc.record({ command: fc.array(fc.string(), { minLength: 1, maxLength: 4 }) }).map((action) => ({ exec: action }));
  const httpGet = fc
    .record(
      {
        path: fc.oneof(fc.constant(''), fc.constant('/'), fc.webPath()),
        port: portArbitrary,
        host: fc.domain(),
        scheme: fc.constantFrom('', 'HTTP', 'HTTPS'),
        httpHeaders: fc.array(fc.record({ name: headerNameArbitrary, value: fc.string() }), { maxLength: 3 }),
      },
      { requiredKeys: ['port'] },
    )
    .map((action) => ({ httpGet: action }));
  const tcpSocket = fc.record({ port: portArbitrary }).map((action) => ({ tcpSocket: action }));
  const handlers: fc.Arbitrary<LifecycleHandler>[] = [exec, httpGet, tcpSocket];
  if (gracePeriodSeconds >= 0) {
    handlers.push(fc.integer({ min: 0, max: gracePeriodSeconds }).map((seconds) => ({ sleep: { seconds } })));
  }
  return fc.oneof(...handlers);
}

/** A valid `lifecycle` for a pod with this grace period and OS (`stopSignal` only with an OS). */
export function validLifecycleArbitrary(gracePeriodSeconds: number, osName: 'linux' | 'windows' | undefined): fc.Arbitrary<Lifecycle> {
  const stopSignals: readonly string[] =
    osName === 'linux' ? SIGNAL_NAMES : osName === 'windows' ? ['SIGKILL', 'SIGTERM'] : [];
  const fields = {
    postStart: validHandlerArbitrary(gracePeriodSeconds),
    preStop: validHandlerArbitrary(gracePeriodSeconds),
    ...(stopSignals.length > 0 ? { stopSignal: fc.constantFrom(...stopSignals) } : {}),
  };
  return fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Lifecycle>;
}

const probeWithGrace: fc.Arbitrary<Probe> = fc.record({ terminationGracePeriodSeconds: fc.integer({ min: 1, max: 600 }) }, { requiredKeys: [] });

/** Probes as the API server accepts them (no grace on readiness, grace ≥ 1 elsewhere). */
const probesArbitrary = fc.record(
  { livenessProbe: probeWithGrace, startupProbe: probeWithGrace, readinessProbe: fc.constant({}) },
  { requiredKeys: [] },
);

type ContainerKind = 'regular' | 'sidecar' | 'init' | 'ephemeral';

function containerArbitrary(name: string, kind: ContainerKind, gracePeriodSeconds: number, osName: 'linux' | 'windows' | undefined): fc.Arbitrary<Container> {
  const base = { name, image: 'busybox:1.36' };
  if (kind === 'init' || kind === 'ephemeral') return fc.constant(base);
  return fc
    .tuple(fc.option(validLifecycleArbitrary(gracePeriodSeconds, osName), { nil: undefined }), probesArbitrary)
    .map(([lifecycle, probes]) => ({
      ...base,
      ...probes,
      ...(lifecycle !== undefined ? { lifecycle } : {}),
      ...(kind === 'sidecar' ? { restartPolicy: 'Always' } : {}),
    }));
}

/**
 * Pods that `validatePod` accepts: unique names across all container lists, lifecycle hooks on
 * regular containers and sidecars only, sleep within the (possibly defaulted) grace period,
 * `stopSignal` only with `spec.os.name` and within the OS's list, probe grace periods valid.
 */
export const validPodArbitrary: fc.Arbitrary<Pod> = fc
  .record({
    name: containerNameArbitrary,
    gracePeriodSeconds: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    osName: fc.constantFrom<'linux' | 'windows' | undefined>('linux', 'windows', undefined),
    kinds: fc.array(fc.constantFrom<ContainerKind>('regular', 'sidecar', 'init', 'ephemeral'), { maxLength: 5 }),
    names: fc.uniqueArray(containerNameArbitrary, { minLength: 6, maxLength: 6 }),
  })
  .chain(({ name, gracePeriodSeconds, osName, kinds, names }) => {
    const grace = gracePeriodSeconds ?? 30;
    const allKinds: ContainerKind[] = ['regular', ...kinds];
    const containers = allKinds.map((kind, i) => containerArbitrary(names[i] ?? `c${i}`, kind, grace, osName).map((c) => ({ kind, c })));
    return fc.tuple(...containers).map((entries): Pod => {
      const pick = (...wanted: ContainerKind[]) => entries.filter((e) => wanted.includes(e.kind)).map((e) => e.c);
      const initContainers = pick('sidecar', 'init');
      const ephemeralContainers = pick('ephemeral');
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', uid: `uid-${name}` },
        spec: {
          containers: pick('regular'),
          ...(initContainers.length > 0 ? { initContainers } : {}),
          ...(ephemeralContainers.length > 0 ? { ephemeralContainers } : {}),
          ...(gracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: gracePeriodSeconds } : {}),
          ...(osName !== undefined ? { os: { name: osName } } : {}),
        },
      };
    });
  });
