import { isRecord, isUnset, type UnknownRecord } from '../api/input-reader.js';
import type { Pod } from '../api/types.js';
import { assertValidPod, type ValidationOptions } from '../api/validation.js';

interface Entry {
  readonly defaulted: Pod;
  /**
   * Where each container sits in the defaulted pod, built on the first focused check: its index
   * in `spec.containers`, or `-1 - index` in `spec.initContainers`.
   */
  where?: Map<string, number> | undefined;
  /**
   * Before `where` is built: the index in `spec.containers` after the container of the last
   * focused check (callers usually go through a pod's containers in order).
   */
  next: number;
  readonly name: unknown;
  readonly generateName: unknown;
  readonly namespace: unknown;
  readonly uid: unknown;
}

/**
 * Every manager call validates its pod (DESIGN §6); a caller usually hands in the same pod object
 * each time (one call per container), so the defaulted pod is remembered per pod object. A hit is
 * checked first: the layers API-server defaulting copies (pod, spec, container lists, containers,
 * lifecycle, hooks, httpGet) must hold exactly the values seen last time (same keys, same values
 * by identity), and `metadata` the same name, generateName, namespace and uid. Anything else —
 * a replaced or added container, a changed grace, a swapped handler — validates again.
 *
 * A call about one container (start, stop, status, notifyExited) checks the pod's own layers and
 * that container's; the other containers' lists are checked by length only, so the check costs the
 * same in a 2-container and a 100-container pod. A call about the whole pod (deletePod) checks
 * every container.
 *
 * Trade-offs: objects below those layers that defaulting shares with the input (an `exec` or
 * `sleep` action, a `command` or `httpHeaders` array, a probe, `spec.os`) are not re-checked when
 * edited in place; replace the object (or pass a new pod) to have such an edit validated. An
 * in-place edit of another container than the one a call is about is seen by the first call about
 * that container or the whole pod, and until then the manager keeps using the pod as it was.
 * Keyed weakly: a pod object the caller drops is collected with its entry.
 */
export class ValidatedPods {
  readonly #entries = new WeakMap<object, Entry>();
  readonly #options: ValidationOptions;

  constructor(options: ValidationOptions) {
    this.#options = options;
  }

  /**
   * `assertValidPod(pod)`, answered from the cache when `pod` is unchanged since last time: the
   * whole pod, or only the pod's own layers and the container named `containerName` when given.
   */
  get(pod: Pod, containerName?: string): Pod {
    const entry = typeof pod === 'object' && pod !== null ? this.#entries.get(pod) : undefined;
    if (
      entry !== undefined &&
      isUnchanged(pod, entry, containerName === undefined ? undefined : focusOf(entry, containerName))
    )
      return entry.defaulted;
    const defaulted = assertValidPod(pod, this.#options);
    if (typeof pod === 'object' && pod !== null && defaulted !== pod) {
      const meta = (pod as { metadata?: unknown }).metadata;
      const m: UnknownRecord = isRecord(meta) ? meta : {};
      this.#entries.set(pod, {
        defaulted,
        next: 0,
        name: m['name'],
        generateName: m['generateName'],
        namespace: m['namespace'],
        uid: m['uid'],
      });
    }
    return defaulted;
  }
}

/**
 * The container a check is focused on: its index in `spec.containers`, or `-1 - index` in
 * `spec.initContainers` (a number, not an object per call); `undefined` checks every container.
 */
type Focus = number;

/** Where `name` sits in the cached pod; `undefined` (check everything) for an unknown name. */
function focusOf(entry: Entry, name: string): Focus | undefined {
  if (entry.where === undefined) {
    // A validated pod's names are unique across its lists, so a regular container found by name
    // is the answer the index would give. Calls in container order (a pod started container
    // after container) find it at `next` (or the one after, or at 0) without building the index.
    const containers = entry.defaulted.spec?.containers;
    if (containers !== undefined) {
      const next = entry.next;
      const found =
        containers[next]?.name === name
          ? next
          : containers[next + 1]?.name === name
            ? next + 1
            : containers[0]?.name === name
              ? 0
              : -1;
      if (found >= 0) {
        entry.next = found + 1;
        return found;
      }
    }
    const where = new Map<string, number>();
    const spec = entry.defaulted.spec;
    spec?.initContainers?.forEach((c, index) => {
      where.set(c.name, -1 - index);
    });
    spec?.containers?.forEach((c, index) => {
      where.set(c.name, index);
    });
    entry.where = where;
  }
  return entry.where.get(name);
}

function isUnchanged(pod: Pod, entry: Entry, focus: Focus | undefined): boolean {
  try {
    const meta = (pod as { metadata?: unknown }).metadata;
    if (meta !== entry.defaulted.metadata) return false;
    if (
      isRecord(meta) &&
      !(
        meta['name'] === entry.name &&
        meta['generateName'] === entry.generateName &&
        meta['namespace'] === entry.namespace &&
        meta['uid'] === entry.uid
      )
    ) {
      return false;
    }
    return sameLayer(pod, entry.defaulted, Layer.Pod, focus);
  } catch {
    return false; // hostile input (throwing getter, revoked proxy): validate again
  }
}

/** Which copied layer a key of a layer leads to (by the layer the key is in), if any. */
const Layer = { Pod: 0, Spec: 1, Container: 2, Lifecycle: 3, Handler: 4, HttpGet: 5 } as const;
type Layer = (typeof Layer)[keyof typeof Layer];

/**
 * `copy` was made from `input` by copying its own keys and then defaulting (spec/defaulting.ts):
 * true when `input` still has exactly those keys, each with the same value (by identity, or for
 * a copied layer, recursively the same), a defaulted key still unset in `input`.
 */
function sameLayer(input: unknown, copy: unknown, layer: Layer, focus?: Focus): boolean {
  if (!isRecord(input) || !isRecord(copy)) return false;
  let own = 0;
  for (const key in copy) {
    const copyValue = copy[key];
    if (!Object.hasOwn(input, key)) {
      // Only a key defaulting added may be missing from the input.
      if (!isDefaulted(layer, key, undefined, copyValue)) return false;
      continue;
    }
    own++;
    const value = input[key];
    if (value === copyValue || isDefaulted(layer, key, value, copyValue)) continue;
    if (!isRecord(value) && !Array.isArray(value)) return false;
    if (!sameChild(layer, key, value, copyValue, focus)) return false;
  }
  return ownKeyCount(input) === own;
}

/** A value defaulting filled in: the input is still unset (or "" for path/scheme). */
function isDefaulted(layer: Layer, key: string, value: unknown, copyValue: unknown): boolean {
  if (layer === Layer.Spec) {
    if (key === 'restartPolicy') return (isUnset(value) || value === '') && copyValue === 'Always';
    return key === 'terminationGracePeriodSeconds' && isUnset(value) && copyValue === 30;
  }
  if (layer !== Layer.HttpGet || !(isUnset(value) || value === '')) return false;
  return (key === 'path' && copyValue === '/') || (key === 'scheme' && copyValue === 'HTTP');
}

/** A key whose value defaulting copied (a different object in `copy`): compare one level down. */
function sameChild(
  layer: Layer,
  key: string,
  value: UnknownRecord | unknown[],
  copyValue: unknown,
  focus: Focus | undefined,
): boolean {
  switch (layer) {
    case Layer.Pod:
      return key === 'spec' && sameLayer(value, copyValue, Layer.Spec, focus);
    case Layer.Spec:
      if (!(key === 'containers' || key === 'initContainers' || key === 'ephemeralContainers')) return false;
      if (!Array.isArray(value)) return false;
      if (focus === undefined) return sameList(value, copyValue);
      // Focused: the other lists by length, this one by the focused container only.
      if (!Array.isArray(copyValue) || copyValue.length !== value.length) return false;
      if (key !== (focus >= 0 ? 'containers' : 'initContainers')) return true;
      return sameItem(value, copyValue, focus >= 0 ? focus : -1 - focus);
    case Layer.Container:
      return key === 'lifecycle' && sameLayer(value, copyValue, Layer.Lifecycle);
    case Layer.Lifecycle:
      return (key === 'postStart' || key === 'preStop') && sameLayer(value, copyValue, Layer.Handler);
    case Layer.Handler:
      return key === 'httpGet' && sameLayer(value, copyValue, Layer.HttpGet);
    default:
      return false;
  }
}

/** The container at `index` of a list and of its copy: the same object, or the same layer. */
function sameItem(list: readonly unknown[], copy: readonly unknown[], index: number): boolean {
  return list[index] === copy[index] || sameLayer(list[index], copy[index], Layer.Container);
}

function sameList(list: readonly unknown[], copy: unknown): boolean {
  if (!Array.isArray(copy) || copy.length !== list.length) return false;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item !== copy[i] && !sameLayer(item, copy[i], Layer.Container)) return false;
  }
  return true;
}

/** `Object.keys(record).length` without allocating the array. */
function ownKeyCount(record: UnknownRecord): number {
  let count = 0;
  for (const key in record) if (Object.hasOwn(record, key)) count++;
  return count;
}
