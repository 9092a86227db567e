/**
 * API-server defaulting for the fields lifecycle semantics read (spec §2, "Order of
 * operations"; spec pod §2.1): `spec.terminationGracePeriodSeconds` → 30 ([API]),
 * `spec.restartPolicy` → `"Always"`, probe numbers (`SetDefaults_Probe`), and for every `httpGet`
 * of a hook or probe `path` → `"/"` and `scheme` → `"HTTP"` (`SetDefaults_HTTPGetAction`), all
 * read in `pkg/apis/core/v1/defaults.go` [D].
 *
 * @module
 */
import { isRecord, isUnset, own, type UnknownRecord } from './input-reader.js';
import { MAX_CONTAINERS_PER_LIST } from './limits.js';
import type { Pod } from './types.js';

/** `DefaultTerminationGracePeriodSeconds` of core/v1. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** The container lists of a pod spec, in the order the API server validates them. */
export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** The hooks of a `Lifecycle`, in the order the API server validates them. */
export const HOOK_FIELDS = ['postStart', 'preStop'] as const;

/** The probes of a container, in the order the API server validates them. */
export const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** `DefaultRestartPolicy` of a pod (`SetDefaults_PodSpec`). */
export const DEFAULT_RESTART_POLICY = 'Always';

/**
 * `SetDefaults_Probe` [D]: a probe number that is `0` (Go's zero value: unset, `null` or `0`)
 * becomes this. `initialDelaySeconds` is not defaulted.
 */
export const PROBE_DEFAULTS = Object.freeze({
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
} as const);

/**
 * Copies own enumerable properties into a fresh plain object (safe for `__proto__` keys), in
 * `Object.keys` order. A `for…in` with an own-property check rather than `Object.keys`: the
 * same keys in the same order (string keys only, no symbols) without a keys array per copy
 * (four per container defaulted; docs/performance-history.md, round 6).
 */
function copyRecord(record: UnknownRecord): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in record) if (Object.hasOwn(record, key)) setOwn(copy, key, record[key]);
  return copy;
}

/**
 * An own data property. Plain assignment on our fresh plain objects, except `__proto__`, which
 * would set the prototype instead: `defineProperty` there only (it turns the object into a slow
 * dictionary, which made defaulting ≈ 2× a JSON round trip when used for every key).
 */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/**
 * Defaults one `LifecycleHandler` or `ProbeHandler`: an `httpGet` whose `path` is unset or `""`
 * gets `"/"`, whose `scheme` is unset or `""` gets `"HTTP"`; a `grpc` without `service` gets
 * `""` (`+default=""`). Returns a new object (or the input itself when it is not an object).
 * Never mutates its input.
 */
export function applyHandlerDefaults<T>(handler: T): T {
  if (!isRecord(handler)) return handler;
  const copy = copyRecord(handler);
  const grpc = own(handler, 'grpc');
  if (isRecord(grpc) && isUnset(own(grpc, 'service'))) {
    const action = copyRecord(grpc);
    setOwn(action, 'service', '');
    setOwn(copy, 'grpc', action);
  }
  const httpGet = own(handler, 'httpGet');
  if (isRecord(httpGet)) {
    const action = copyRecord(httpGet);
    const path = own(httpGet, 'path');
    if (isUnset(path) || path === '') setOwn(action, 'path', '/');
    const scheme = own(httpGet, 'scheme');
    if (isUnset(scheme) || scheme === '') setOwn(action, 'scheme', 'HTTP');
    setOwn(copy, 'httpGet', action);
  }
  return copy as T;
}

/** Defaults both hooks of a `Lifecycle` (see {@link applyHandlerDefaults}); never mutates. */
export function applyLifecycleDefaults<T>(lifecycle: T): T {
  if (!isRecord(lifecycle)) return lifecycle;
  const copy = copyRecord(lifecycle);
  for (const hook of HOOK_FIELDS) {
    const handler = own(lifecycle, hook);
    if (isRecord(handler)) setOwn(copy, hook, applyHandlerDefaults(handler));
  }
  return copy as T;
}

/**
 * Defaults one `Probe` (spec pod §2.1): `timeoutSeconds` 1, `periodSeconds` 10,
 * `successThreshold` 1, `failureThreshold` 3 where the value is unset, `null` or `0` (an explicit
 * 0 is Go's zero value, so `periodSeconds: 0` means 10), then the handler defaults of
 * {@link applyHandlerDefaults}. Negative values are kept (validation reports them). Never mutates.
 */
export function applyProbeDefaults<T>(probe: T): T {
  if (!isRecord(probe)) return probe;
  const copy = applyHandlerDefaults(probe) as Record<string, unknown>;
  for (const [field, value] of Object.entries(PROBE_DEFAULTS)) {
    const given = own(probe, field);
    if (isUnset(given) || given === 0) setOwn(copy, field, value);
  }
  return copy as T;
}

function defaultContainer(container: unknown): unknown {
  if (!isRecord(container)) return container;
  const copy = copyRecord(container);
  const lifecycle = own(container, 'lifecycle');
  if (isRecord(lifecycle)) setOwn(copy, 'lifecycle', applyLifecycleDefaults(lifecycle));
  for (const field of PROBE_FIELDS) {
    const probe = own(container, field);
    if (isRecord(probe)) setOwn(copy, field, applyProbeDefaults(probe));
  }
  return copy;
}

/**
 * Copies a container list with each container defaulted; a list past the limit, or sparse (JSON has
 * no holes), is left as it is for validation to report.
 */
function defaultContainerList(list: readonly unknown[], defaultedLists: unknown[] | undefined): readonly unknown[] {
  if (list.length > MAX_CONTAINERS_PER_LIST) return list;
  const copy: unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) return list;
    copy.push(defaultContainer(list[i]));
  }
  defaultedLists?.push(copy);
  return copy;
}

/**
 * Applies API-server defaulting to a pod, as the API server does before validating a submitted
 * manifest (spec §2, spec pod §2.1):
 * - `spec.terminationGracePeriodSeconds` unset or `null` → `30`, negative → `1` (since 1.27);
 * - `spec.restartPolicy` unset, `null` or `""` → `"Always"`;
 * - for every container of `containers`, `initContainers` and `ephemeralContainers`, for both
 *   `postStart` and `preStop` and every probe: `httpGet.path` unset/`null`/`""` → `"/"`,
 *   `httpGet.scheme` unset/`null`/`""` → `"HTTP"`; probe numbers as {@link applyProbeDefaults}.
 *
 * Never mutates its input and never throws on well-formed-or-garbage JSON: the pod, its spec,
 * the container lists, containers, lifecycles, handlers and `httpGet` objects are fresh copies;
 * every other value (unknown fields included) is carried over as is and shared with the input, so
 * treat the result as immutable. A value of the wrong shape is left untouched (validation reports
 * it), and a non-object input is returned as it is. A container list longer than
 * {@link MAX_CONTAINERS_PER_LIST} is carried over undefaulted (validation rejects it), so the work
 * stays bounded whatever length a (sparse) array claims.
 *
 * @example applyDefaults({ spec: { containers: [] } }).spec.terminationGracePeriodSeconds === 30
 */
export function applyDefaults<T = Pod>(pod: T): T {
  return applyDefaultsNoting(pod, undefined);
}

/**
 * {@link applyDefaults}, also pushing onto `defaultedLists` each container list it copied with
 * every container defaulted (validation then need not default their lifecycles again).
 *
 * @internal
 */
export function applyDefaultsNoting<T>(pod: T, defaultedLists: unknown[] | undefined): T {
  try {
    return defaultPod(pod, defaultedLists);
  } catch {
    // Only hostile objects get here (throwing getters, revoked proxies): hand them back untouched.
    return pod;
  }
}

function defaultPod<T>(pod: T, defaultedLists: unknown[] | undefined): T {
  if (!isRecord(pod)) return pod;
  const copy = copyRecord(pod);
  const spec = own(pod, 'spec');
  if (!isRecord(spec)) return copy as T;
  const specCopy = copyRecord(spec);
  const gracePeriod = own(spec, 'terminationGracePeriodSeconds');
  if (isUnset(gracePeriod)) {
    setOwn(specCopy, 'terminationGracePeriodSeconds', DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  } else if (typeof gracePeriod === 'number' && gracePeriod < 0) {
    // Stored as 1 since 1.27 (spec §1.1, k/k#115606): a negative grace left pods hard to kill.
    setOwn(specCopy, 'terminationGracePeriodSeconds', 1);
  }
  const restartPolicy = own(spec, 'restartPolicy');
  if (isUnset(restartPolicy) || restartPolicy === '') setOwn(specCopy, 'restartPolicy', DEFAULT_RESTART_POLICY);
  for (const list of CONTAINER_LISTS) {
    const containers = own(spec, list);
    if (Array.isArray(containers)) setOwn(specCopy, list, defaultContainerList(containers, defaultedLists));
  }
  setOwn(copy, 'spec', specCopy);
  return copy as T;
}
