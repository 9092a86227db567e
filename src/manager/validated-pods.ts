import { isRecord, isUnset, type UnknownRecord } from '../spec/input-reader.js';
import type { Pod } from '../spec/types.js';
import { assertValidPod, type ValidationOptions } from '../spec/validation.js';

interface Entry {
  readonly defaulted: Pod;
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
 * Trade-off: objects below those layers that defaulting shares with the input (an `exec` or
 * `sleep` action, a `command` or `httpHeaders` array, a probe, `spec.os`) are not re-checked when
 * edited in place; replace the object (or pass a new pod) to have such an edit validated.
 * Keyed weakly: a pod object the caller drops is collected with its entry.
 */
export class ValidatedPods {
  readonly #entries = new WeakMap<object, Entry>();
  readonly #options: ValidationOptions;

  constructor(options: ValidationOptions) {
    this.#options = options;
  }

  /** `assertValidPod(pod)`, answered from the cache when `pod` is unchanged since last time. */
  get(pod: Pod): Pod {
    const entry = typeof pod === 'object' && pod !== null ? this.#entries.get(pod) : undefined;
    if (entry !== undefined && isUnchanged(pod, entry)) return entry.defaulted;
    const defaulted = assertValidPod(pod, this.#options);
    if (typeof pod === 'object' && pod !== null && defaulted !== pod) {
      const meta = (pod as { metadata?: unknown }).metadata;
      const m: UnknownRecord = isRecord(meta) ? meta : {};
      this.#entries.set(pod, { defaulted, name: m['name'], generateName: m['generateName'], namespace: m['namespace'], uid: m['uid'] });
    }
    return defaulted;
  }
}

function isUnchanged(pod: Pod, entry: Entry): boolean {
  try {
    const meta = (pod as { metadata?: unknown }).metadata;
    if (meta !== entry.defaulted.metadata) return false;
    if (isRecord(meta) && !(meta['name'] === entry.name && meta['generateName'] === entry.generateName && meta['namespace'] === entry.namespace && meta['uid'] === entry.uid)) {
      return false;
    }
    return sameLayer(pod, entry.defaulted, Layer.Pod);
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
function sameLayer(input: unknown, copy: unknown, layer: Layer): boolean {
  if (!isRecord(input) || !isRecord(copy)) return false;
  let own = 0;
  for (const key in copy) {
    const copyValue = copy[key];
    if (!Object.prototype.hasOwnProperty.call(input, key)) {
      // Only a key defaulting added may be missing from the input.
      if (!isDefaulted(layer, key, undefined, copyValue)) return false;
      continue;
    }
    own++;
    const value = input[key];
    if (value === copyValue || isDefaulted(layer, key, value, copyValue)) continue;
    if (!isRecord(value) && !Array.isArray(value)) return false;
    if (!sameChild(layer, key, value, copyValue)) return false;
  }
  return ownKeyCount(input) === own;
}

/** A value defaulting filled in: the input is still unset (or "" for path/scheme). */
function isDefaulted(layer: Layer, key: string, value: unknown, copyValue: unknown): boolean {
  if (layer === Layer.Spec) return key === 'terminationGracePeriodSeconds' && isUnset(value) && copyValue === 30;
  if (layer !== Layer.HttpGet || !(isUnset(value) || value === '')) return false;
  return (key === 'path' && copyValue === '/') || (key === 'scheme' && copyValue === 'HTTP');
}

/** A key whose value defaulting copied (a different object in `copy`): compare one level down. */
function sameChild(layer: Layer, key: string, value: UnknownRecord | unknown[], copyValue: unknown): boolean {
  switch (layer) {
    case Layer.Pod:
      return key === 'spec' && sameLayer(value, copyValue, Layer.Spec);
    case Layer.Spec:
      if (!(key === 'containers' || key === 'initContainers' || key === 'ephemeralContainers')) return false;
      return Array.isArray(value) && sameList(value, copyValue);
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
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key)) count++;
  return count;
}
