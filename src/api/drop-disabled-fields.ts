/**
 * Feature gates of 1.35 that change what the API server accepts, and `dropDisabledPodFields`
 * (`pkg/api/pod/util.go`): on create, the API server silently clears the fields of a disabled
 * gate before validating, so a manifest that uses them is accepted and the fields are gone.
 *
 * @module
 */
import { CONTAINER_LISTS } from './defaulting.js';
import { isRecord, own, type UnknownRecord } from './input-reader.js';
import { MAX_CONTAINERS_PER_LIST } from './limits.js';

/** Feature gates that validation follows, named as in `pkg/features/kube_features.go`. */
export interface FeatureGates {
  /**
   * Container-level `restartPolicy` on any container and `restartPolicyRules` (KEP-5307): alpha
   * 1.34, beta and on in 1.35. Off: `dropContainerRestartRules` clears `restartPolicyRules`
   * everywhere, `restartPolicy` on regular and ephemeral containers, and any init-container
   * `restartPolicy` but `Always` (sidecars stay), without an error.
   * @default true (the 1.35 default)
   */
  readonly ContainerRestartRules?: boolean | undefined;
  /**
   * `lifecycle.stopSignal` (KEP-4960): alpha since 1.33 and **off by default in 1.35**. Off:
   * `dropContainerStopSignals` clears `stopSignal` (and a `lifecycle` left empty) without an
   * error, and the kubelet ignores the field. kube-lifecycle keeps it on by default so that a
   * `stopSignal` is validated and reaches the runtime (a named deviation, docs/semantics.md); set
   * `false` to model a default 1.35 cluster.
   * @default true (kube-lifecycle's default; the 1.35 default is false)
   */
  readonly ContainerStopSignals?: boolean | undefined;
}

/** The gates validation uses when none are given. */
export const DEFAULT_FEATURE_GATES: Readonly<Required<{ [K in keyof FeatureGates]: boolean }>> = Object.freeze({
  ContainerRestartRules: true,
  ContainerStopSignals: true,
});

/** The gates with their defaults filled in (non-boolean values count as unset). */
export function resolveFeatureGates(gates: FeatureGates | undefined): Required<{ [K in keyof FeatureGates]: boolean }> {
  const given = isRecord(gates) ? gates : {};
  return {
    ContainerRestartRules:
      typeof given.ContainerRestartRules === 'boolean'
        ? given.ContainerRestartRules
        : DEFAULT_FEATURE_GATES.ContainerRestartRules,
    ContainerStopSignals:
      typeof given.ContainerStopSignals === 'boolean'
        ? given.ContainerStopSignals
        : DEFAULT_FEATURE_GATES.ContainerStopSignals,
  };
}

function without(record: UnknownRecord, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (keys.includes(key)) continue;
    Object.defineProperty(copy, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function dropFromContainer(
  container: unknown,
  list: (typeof CONTAINER_LISTS)[number],
  gates: Required<{ [K in keyof FeatureGates]: boolean }>,
): unknown {
  if (!isRecord(container)) return container;
  const drop: string[] = [];
  if (!gates.ContainerRestartRules) {
    if (own(container, 'restartPolicyRules') !== undefined) drop.push('restartPolicyRules');
    const policy = own(container, 'restartPolicy');
    // Init containers keep `Always` (sidecars); a non-string is kept so validation reports its type.
    if (list === 'initContainers' ? typeof policy === 'string' && policy !== 'Always' : policy !== undefined) {
      drop.push('restartPolicy');
    }
  }
  let copy = drop.length > 0 ? without(container, drop) : undefined;
  const lifecycle = own(container, 'lifecycle');
  if (!gates.ContainerStopSignals && isRecord(lifecycle) && own(lifecycle, 'stopSignal') !== undefined) {
    const rest = without(lifecycle, ['stopSignal']);
    // Go sets a lifecycle left empty to nil.
    if (Object.keys(rest).length === 0) copy = without(copy ?? container, ['lifecycle']);
    else {
      copy = copy ?? without(container, []);
      copy['lifecycle'] = rest;
    }
  }
  return copy ?? container;
}

/**
 * `dropDisabledPodFields` for the gates above: returns the pod with the fields of disabled gates
 * cleared (new objects where something was cleared; the input is never changed). With every gate
 * on, returns the pod itself. Lists longer than the container limit are left alone.
 *
 * @example dropDisabledFields(pod, { ContainerStopSignals: false }) // no lifecycle.stopSignal left
 */
export function dropDisabledFields<T>(pod: T, featureGates?: FeatureGates): T {
  const gates = resolveFeatureGates(featureGates);
  if (gates.ContainerRestartRules && gates.ContainerStopSignals) return pod;
  if (!isRecord(pod)) return pod;
  const spec = own(pod, 'spec');
  if (!isRecord(spec)) return pod;
  const specCopy = without(spec, []);
  for (const list of CONTAINER_LISTS) {
    const containers = own(spec, list);
    if (!Array.isArray(containers) || containers.length > MAX_CONTAINERS_PER_LIST) continue;
    const copy: unknown[] = [];
    for (let i = 0; i < containers.length; i++) {
      // A sparse list is left for validation to report.
      if (!(i in containers)) break;
      copy.push(dropFromContainer(containers[i], list, gates));
    }
    if (copy.length === containers.length) specCopy[list] = copy;
  }
  const podCopy = without(pod, []);
  podCopy['spec'] = specCopy;
  return podCopy as T;
}
