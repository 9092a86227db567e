/**
 * API-server defaulting for the fields lifecycle semantics read (spec §2, "Order of
 * operations"): `spec.terminationGracePeriodSeconds` → 30 ([API]), and for every lifecycle
 * `httpGet` handler `path` → `"/"` and `scheme` → `"HTTP"` (`SetDefaults_HTTPGetAction` [D]).
 *
 * @module
 */
import { isRecord, isUnset, own, type UnknownRecord } from './input-reader.js';
import type { Pod } from './types.js';

/** `DefaultTerminationGracePeriodSeconds` of core/v1. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** The container lists of a pod spec, in the order the API server validates them. */
export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** The hooks of a `Lifecycle`, in the order the API server validates them. */
export const HOOK_FIELDS = ['postStart', 'preStop'] as const;

/** Copies own enumerable properties into a fresh plain object (safe for `__proto__` keys). */
function copyRecord(record: UnknownRecord): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    Object.defineProperty(copy, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Defaults one `LifecycleHandler`: an `httpGet` whose `path` is unset or `""` gets `"/"`, whose
 * `scheme` is unset or `""` gets `"HTTP"`. Returns a new object (or the input itself when it is
 * not an object). Never mutates its input.
 */
export function applyHandlerDefaults<T>(handler: T): T {
  if (!isRecord(handler)) return handler;
  const copy = copyRecord(handler);
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

function defaultContainer(container: unknown): unknown {
  if (!isRecord(container)) return container;
  const lifecycle = own(container, 'lifecycle');
  if (!isRecord(lifecycle)) return copyRecord(container);
  const copy = copyRecord(container);
  setOwn(copy, 'lifecycle', applyLifecycleDefaults(lifecycle));
  return copy;
}

/**
 * Applies API-server defaulting to a pod, as the API server does before validating a submitted
 * manifest (spec §2):
 * - `spec.terminationGracePeriodSeconds` unset or `null` → `30`;
 * - for every container of `containers`, `initContainers` and `ephemeralContainers`, for both
 *   `postStart` and `preStop`: `httpGet.path` unset/`null`/`""` → `"/"`, `httpGet.scheme`
 *   unset/`null`/`""` → `"HTTP"`.
 *
 * Never mutates its input and never throws on well-formed-or-garbage JSON: the pod, its spec,
 * the container lists, containers, lifecycles, handlers and `httpGet` objects are fresh copies;
 * every other value (unknown fields included) is carried over as is and shared with the input, so
 * treat the result as immutable. A value of the wrong shape is left untouched (validation reports
 * it), and a non-object input is returned as it is.
 *
 * @example applyDefaults({ spec: { containers: [] } }).spec.terminationGracePeriodSeconds === 30
 */
export function applyDefaults<T = Pod>(pod: T): T {
  try {
    return defaultPod(pod);
  } catch {
    // Only hostile objects get here (throwing getters, revoked proxies): hand them back untouched.
    return pod;
  }
}

function defaultPod<T>(pod: T): T {
  if (!isRecord(pod)) return pod;
  const copy = copyRecord(pod);
  const spec = own(pod, 'spec');
  if (!isRecord(spec)) return copy as T;
  const specCopy = copyRecord(spec);
  if (isUnset(own(spec, 'terminationGracePeriodSeconds'))) {
    setOwn(specCopy, 'terminationGracePeriodSeconds', DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  }
  for (const list of CONTAINER_LISTS) {
    const containers = own(spec, list);
    if (Array.isArray(containers)) setOwn(specCopy, list, containers.map(defaultContainer));
  }
  setOwn(copy, 'spec', specCopy);
  return copy as T;
}
