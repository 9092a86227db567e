/**
 * Arbitraries of valid and invalid pods (spec §2). fast-check is only a type here: the `fc`
 * namespace is passed in, so `kube-lifecycle/testing` loads without it. Use through
 * `lifecycleArbitraries(fc)`.
 *
 * @module
 */
import type * as FastCheck from 'fast-check';
import {
  type Container,
  type Lifecycle,
  type LifecycleHandler,
  type Pod,
  type Probe,
  SIGNAL_NAMES,
} from '../api/types.js';

/** The fast-check namespace (`import fc from 'fast-check'`, or `fc` from `@fast-check/vitest`). */
export type FastCheckApi = Omit<typeof FastCheck, 'default'>;
/** A fast-check arbitrary. */
export type Arbitrary<T> = FastCheck.Arbitrary<T>;

/** An invalid pod with the field path validation must report and the mutation that broke it. */
export interface InvalidPod {
  readonly pod: Pod;
  /** A path `validatePod(pod)` reports, e.g. `spec.containers[0].lifecycle.preStop.httpGet.port`. */
  readonly field: string;
  /** What was broken, in words (for messages). */
  readonly mutation: string;
}

type Kind = 'regular' | 'sidecar' | 'init' | 'ephemeral';
type Mutation = { readonly name: string; readonly apply: (pod: Pod) => string };
const c0 = (p: Pod): Container => p.spec!.containers[0]!;

/** One field of a valid pod broken, with the path the API server reports (container 0 always exists). */
const MUTATIONS: readonly Mutation[] = [
  {
    name: 'grace not an integer',
    apply: (p) => (
      ((p.spec as unknown as Record<string, unknown>)['terminationGracePeriodSeconds'] = 1.5),
      'spec.terminationGracePeriodSeconds'
    ),
  },
  { name: 'no containers', apply: (p) => ((p.spec!.containers = []), 'spec.containers') },
  { name: 'bad container name', apply: (p) => ((c0(p).name = 'Bad_Name'), 'spec.containers[0].name') },
  { name: 'empty container name', apply: (p) => ((c0(p).name = ''), 'spec.containers[0].name') },
  {
    name: 'handler without action',
    apply: (p) => ((c0(p).lifecycle = { preStop: {} }), 'spec.containers[0].lifecycle.preStop'),
  },
  {
    name: 'two actions in one handler',
    apply: (p) => (
      (c0(p).lifecycle = { postStart: { exec: { command: ['x'] }, sleep: { seconds: 0 } } }),
      'spec.containers[0].lifecycle.postStart.sleep'
    ),
  },
  {
    name: 'empty exec command',
    apply: (p) => (
      (c0(p).lifecycle = { preStop: { exec: { command: [] } } }), 'spec.containers[0].lifecycle.preStop.exec.command'
    ),
  },
  {
    name: 'httpGet port 0',
    apply: (p) => (
      (c0(p).lifecycle = { preStop: { httpGet: { port: 0 } } }), 'spec.containers[0].lifecycle.preStop.httpGet.port'
    ),
  },
  {
    name: 'httpGet scheme',
    apply: (p) => (
      (c0(p).lifecycle = { postStart: { httpGet: { port: 1, scheme: 'ftp' } } }),
      'spec.containers[0].lifecycle.postStart.httpGet.scheme'
    ),
  },
  {
    name: 'header name',
    apply: (p) => (
      (c0(p).lifecycle = { postStart: { httpGet: { port: 1, httpHeaders: [{ name: 'a b', value: '' }] } } }),
      'spec.containers[0].lifecycle.postStart.httpGet.httpHeaders'
    ),
  },
  {
    name: 'sleep beyond the grace',
    apply: (p) => (
      (c0(p).lifecycle = { preStop: { sleep: { seconds: (p.spec!.terminationGracePeriodSeconds ?? 30) + 1 } } }),
      'spec.containers[0].lifecycle.preStop.sleep'
    ),
  },
  {
    name: 'probe grace 0',
    apply: (p) => (
      (c0(p).livenessProbe = { terminationGracePeriodSeconds: 0 }),
      'spec.containers[0].livenessProbe.terminationGracePeriodSeconds'
    ),
  },
  {
    name: 'stopSignal without os',
    apply: (p) => (
      delete p.spec!.os, (c0(p).lifecycle = { stopSignal: 'SIGTERM' }), 'spec.containers[0].lifecycle.stopSignal'
    ),
  },
  {
    name: 'stopSignal not on windows',
    apply: (p) => (
      (p.spec!.os = { name: 'windows' }),
      (c0(p).lifecycle = { stopSignal: 'SIGHUP' }),
      'spec.containers[0].lifecycle.stopSignal'
    ),
  },
  {
    name: 'lifecycle on an init container',
    apply: (p) => (
      (p.spec!.initContainers = [{ name: 'zz-init-zz', lifecycle: {} }]), 'spec.initContainers[0].lifecycle'
    ),
  },
  {
    name: 'duplicate container name',
    apply: (p) => (
      (p.spec!.containers as Container[]).push({ name: c0(p).name }),
      `spec.containers[${p.spec!.containers.length - 1}].name`
    ),
  },
];

interface Atoms {
  readonly port: Arbitrary<number | string>;
  readonly httpGet: Arbitrary<LifecycleHandler>;
  readonly exec: Arbitrary<LifecycleHandler>;
  readonly name: Arbitrary<string>;
}

/** Building `stringMatching`, `domain` and `webPath` is costly: once per fast-check instance. */
const atomsCache = new WeakMap<FastCheckApi, Atoms>();
function atoms(fc: FastCheckApi): Atoms {
  let found = atomsCache.get(fc);
  if (found === undefined) {
    const port = fc.oneof(
      fc.integer({ min: 1, max: 65535 }),
      fc.stringMatching(/^[0-9]{0,3}[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,6})?$/),
    );
    const httpGet = fc
      .record(
        {
          path: fc.oneof(fc.constant(''), fc.constant('/'), fc.webPath()),
          port,
          host: fc.domain(),
          scheme: fc.constantFrom('', 'HTTP', 'HTTPS'),
          httpHeaders: fc.array(fc.record({ name: fc.stringMatching(/^[-A-Za-z0-9]{1,20}$/), value: fc.string() }), {
            maxLength: 3,
          }),
        },
        { requiredKeys: ['port'] },
      )
      .map((action) => ({ httpGet: action }));
    const exec = fc.array(fc.string(), { minLength: 1, maxLength: 4 }).map((command) => ({ exec: { command } }));
    found = { port, httpGet, exec, name: fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?$/) };
    atomsCache.set(fc, found);
  }
  return found;
}

/** Valid handlers: exactly one of exec, httpGet, tcpSocket, sleep (≤ `gracePeriodSeconds`). */
export function validHandler(fc: FastCheckApi, gracePeriodSeconds: number): Arbitrary<LifecycleHandler> {
  const { port, httpGet, exec } = atoms(fc);
  const handlers: Array<Arbitrary<LifecycleHandler>> = [exec, httpGet, port.map((p) => ({ tcpSocket: { port: p } }))];
  if (gracePeriodSeconds >= 0)
    handlers.push(fc.integer({ min: 0, max: gracePeriodSeconds }).map((seconds) => ({ sleep: { seconds } })));
  return fc.oneof(...handlers);
}

/** Valid `lifecycle` blocks for this grace; `stopSignal` only when the pod has an OS. */
export function validLifecycle(
  fc: FastCheckApi,
  gracePeriodSeconds: number,
  osName?: 'linux' | 'windows',
): Arbitrary<Lifecycle> {
  const signals: readonly string[] =
    osName === 'linux' ? SIGNAL_NAMES : osName === 'windows' ? ['SIGKILL', 'SIGTERM'] : [];
  return fc.record(
    {
      postStart: validHandler(fc, gracePeriodSeconds),
      preStop: validHandler(fc, gracePeriodSeconds),
      ...(signals.length > 0 ? { stopSignal: fc.constantFrom(...signals) } : {}),
    },
    { requiredKeys: [] },
  ) as Arbitrary<Lifecycle>;
}

/**
 * Pods `validatePod` accepts: unique DNS-1123 names across all lists, hooks on regular containers
 * and sidecars only, sleeps within the (defaulted) grace, `stopSignal` only with `spec.os.name`,
 * valid probes (one handler, numbers ≥ 0, liveness/startup successThreshold 1 and grace > 0).
 */
export function validPod(fc: FastCheckApi): Arbitrary<Pod> {
  const { name } = atoms(fc);
  const port = fc.integer({ min: 1, max: 65535 });
  // Exactly one handler (spec pod §2.2), numbers ≥ 0 (0 = default).
  const handler = fc.oneof(
    fc.constant({ exec: { command: ['true'] } }),
    fc.record({ httpGet: fc.record({ path: fc.constant('/healthz'), port }) }),
    fc.record({ tcpSocket: fc.record({ port }) }),
    fc.record({ grpc: fc.record({ port }) }),
  );
  const timings = fc.record(
    {
      initialDelaySeconds: fc.nat(60),
      timeoutSeconds: fc.nat(10),
      periodSeconds: fc.nat(60),
      failureThreshold: fc.nat(10),
    },
    { requiredKeys: [] },
  );
  const probe = (extra: Arbitrary<Partial<Probe>>): Arbitrary<Probe> =>
    fc.tuple(handler, timings, extra).map(([h, t, e]): Probe => ({ ...h, ...t, ...e }));
  // Liveness/startup: successThreshold 1 (or unset), grace > 0; readiness: any threshold, no grace.
  const killing = probe(
    fc.record(
      { successThreshold: fc.constant(1), terminationGracePeriodSeconds: fc.integer({ min: 1, max: 600 }) },
      { requiredKeys: [] },
    ),
  );
  const readiness = probe(fc.record({ successThreshold: fc.nat(5) }, { requiredKeys: [] }));
  const probes = fc.record(
    { livenessProbe: killing, startupProbe: killing, readinessProbe: readiness },
    { requiredKeys: [] },
  );
  const container = (
    cname: string,
    kind: Kind,
    grace: number,
    osName: 'linux' | 'windows' | undefined,
  ): Arbitrary<Container> => {
    const base = { name: cname, image: 'busybox:1.36' };
    if (kind === 'init' || kind === 'ephemeral') return fc.constant(base);
    return fc.tuple(fc.option(validLifecycle(fc, grace, osName), { nil: undefined }), probes).map(([lifecycle, p]) => ({
      ...base,
      ...p,
      ...(lifecycle === undefined ? {} : { lifecycle }),
      ...(kind === 'sidecar' ? { restartPolicy: 'Always' } : {}),
    }));
  };
  return fc
    .record({
      podName: name,
      grace: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
      osName: fc.constantFrom<'linux' | 'windows' | undefined>('linux', 'windows', undefined),
      kinds: fc.array(fc.constantFrom<Kind>('regular', 'sidecar', 'init', 'ephemeral'), { maxLength: 5 }),
      names: fc.uniqueArray(name, { minLength: 6, maxLength: 6 }),
    })
    .chain(({ podName, grace, osName, kinds, names }) => {
      const all: Kind[] = ['regular', ...kinds];
      const arbs = all.map((kind, i) =>
        container(names[i] ?? `c${i}`, kind, grace ?? 30, osName).map((c) => ({ kind, c })),
      );
      return fc.tuple(...arbs).map((list): Pod => {
        const pick = (...wanted: Kind[]): Container[] => list.filter((e) => wanted.includes(e.kind)).map((e) => e.c);
        const init = pick('sidecar', 'init');
        const ephemeral = pick('ephemeral');
        return {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: podName, namespace: 'default', uid: `uid-${podName}` },
          spec: {
            containers: pick('regular'),
            ...(init.length > 0 ? { initContainers: init } : {}),
            ...(ephemeral.length > 0 ? { ephemeralContainers: ephemeral } : {}),
            ...(grace === undefined ? {} : { terminationGracePeriodSeconds: grace }),
            ...(osName === undefined ? {} : { os: { name: osName } }),
          },
        };
      });
    });
}

/** A valid pod with one field broken; `field` is a path `validatePod` reports. */
export function invalidPod(fc: FastCheckApi): Arbitrary<InvalidPod> {
  return fc.tuple(validPod(fc), fc.constantFrom(...MUTATIONS)).map(([valid, mutation]) => {
    const pod = structuredClone(valid);
    const field = mutation.apply(pod);
    return { pod, field, mutation: mutation.name };
  });
}
