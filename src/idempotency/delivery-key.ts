/**
 * Delivery keys: a stable string that is equal for two deliveries of the same hook event and
 * different for two different events (spec §6).
 *
 * Two deliveries are **the same event** when, and only when, they agree on all of:
 * - the pod UID (`metadata.uid`; a pod re-created under the same name has a new UID),
 * - the container name,
 * - the hook (`PostStart` or `PreStop`),
 * - the container instance: the runtime's container ID, or the container's restart count.
 *
 * So a kubelet restarting mid-hook, or a preStop re-run after a failed stop attempt (spec §6,
 * §4.2-F), reuses the key (a duplicate: run once), while a container restart is a new instance
 * and a new event: postStart runs on every start (spec §3.6) and must run again.
 *
 * Every part is escaped before it is joined, so distinct inputs never produce the same key, and
 * a key built from a container ID never equals one built from a restart count.
 *
 * @module
 */

import type { HookName, Pod } from '../api/types.js';
import { InvalidArgumentError, UnknownContainerError } from '../errors.js';

/** The identity of one hook event, for {@link hookDeliveryKey}. All parts are required. */
export interface HookDeliveryKeyParts {
  /** `metadata.uid` of the pod (downward API: `fieldRef: { fieldPath: metadata.uid }`). */
  readonly podUID: string;
  /** `name` of the container the hook belongs to. */
  readonly containerName: string;
  /**
   * The runtime's ID of this container instance (`containerStatuses[].containerID`,
   * e.g. `containerd://4f1c…`). A restart gets a new ID, hence a new key.
   */
  readonly containerID: string;
  /** Which hook: `'PostStart'` or `'PreStop'` (the field names `'postStart'`/`'preStop'` give the same key). */
  readonly hook: HookName | 'postStart' | 'preStop';
}

/** Options of {@link hookDeliveryKeyForRestart}. */
export interface RestartCountOptions {
  /** `containerStatuses[].restartCount` of the instance the hook runs for (0 for the first start). */
  readonly restartCount: number;
}

/** Version prefix of every key; bumped only if the encoding ever changes. */
const KEY_PREFIX = 'kube-lifecycle/hook/v1';
const HOOK_NAMES: readonly HookName[] = ['PostStart', 'PreStop'];

/**
 * The delivery key of a hook event, from the container's runtime ID.
 *
 * The key is `kube-lifecycle/hook/v1/<hook>/<podUID>/<containerName>/id=<containerID>` with `%`
 * and `/` in each part percent-escaped, so it is readable in a store and never ambiguous.
 *
 * @throws {InvalidArgumentError} when a part is missing, not a string, empty, or `hook` is not
 *   `'PostStart'`/`'PreStop'`.
 * @example
 * ```ts
 * hookDeliveryKey({
 *   podUID: '9d1c5a1e-0000-4000-8000-000000000001',
 *   containerName: 'web',
 *   containerID: 'containerd://4f1c',
 *   hook: 'PreStop',
 * });
 * // 'kube-lifecycle/hook/v1/PreStop/9d1c5a1e-0000-4000-8000-000000000001/web/id=containerd:%2F%2F4f1c'
 * ```
 */
export function hookDeliveryKey(parts: HookDeliveryKeyParts): string {
  if (typeof parts !== 'object' || parts === null) {
    throw new InvalidArgumentError(
      'hookDeliveryKey(parts)',
      parts,
      'an object { podUID, containerName, containerID, hook }',
    );
  }
  const podUID = requireText('hookDeliveryKey: parts.podUID', parts.podUID);
  const containerName = requireText('hookDeliveryKey: parts.containerName', parts.containerName);
  const containerID = requireText('hookDeliveryKey: parts.containerID', parts.containerID);
  const hook = requireHook('hookDeliveryKey: parts.hook', parts.hook);
  return joinKey(hook, podUID, containerName, `id=${escapePart(containerID)}`);
}

/**
 * The delivery key of a hook event, from a pod object, a container name and the container's
 * restart count (when the container ID is not at hand, e.g. in a simulator driving
 * `LifecycleManager`, whose `status(pod, name).restartCount` gives the count).
 *
 * Its keys never equal {@link hookDeliveryKey}'s: pick one scheme per handler.
 *
 * @throws {InvalidArgumentError} when `pod.metadata.uid` is missing or empty, a name is not a
 *   non-empty string, `hook` is not a hook name, or `restartCount` is not an integer ≥ 0.
 * @throws {UnknownContainerError} when the pod has a `spec` that declares no such container
 *   (among `containers` and `initContainers`).
 * @example
 * ```ts
 * const pod = { metadata: { name: 'web-0', uid: 'u-1' }, spec: { containers: [{ name: 'web' }] } };
 * hookDeliveryKeyForRestart(pod, 'web', 'PostStart', { restartCount: 2 });
 * // 'kube-lifecycle/hook/v1/PostStart/u-1/web/restart=2'
 * ```
 */
export function hookDeliveryKeyForRestart(
  pod: Pod,
  containerName: string,
  hook: HookName | 'postStart' | 'preStop',
  options: RestartCountOptions,
): string {
  if (typeof pod !== 'object' || pod === null) {
    throw new InvalidArgumentError('hookDeliveryKeyForRestart(pod)', pod, 'a Pod object');
  }
  const podUID = requireText('hookDeliveryKeyForRestart: pod.metadata.uid', pod.metadata?.uid);
  const name = requireText('hookDeliveryKeyForRestart(containerName)', containerName);
  const checkedHook = requireHook('hookDeliveryKeyForRestart(hook)', hook);
  const restartCount: unknown = (options as RestartCountOptions | undefined)?.restartCount;
  if (typeof restartCount !== 'number' || !Number.isSafeInteger(restartCount) || restartCount < 0) {
    throw new InvalidArgumentError('hookDeliveryKeyForRestart: options.restartCount', restartCount, 'an integer >= 0');
  }
  if (pod.spec !== undefined) {
    const declared = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].map((c) => c.name);
    if (!declared.includes(name)) {
      throw new UnknownContainerError(pod.metadata?.name ?? '', name, declared);
    }
  }
  return joinKey(checkedHook, podUID, name, `restart=${restartCount}`);
}

function joinKey(hook: HookName, podUID: string, containerName: string, instance: string): string {
  return `${KEY_PREFIX}/${hook}/${escapePart(podUID)}/${escapePart(containerName)}/${instance}`;
}

/** `%` → `%25`, `/` → `%2F`: a prefix-free code, so the escaping is injective and `/` is a safe separator. */
function escapePart(part: string): string {
  return part.replace(/[%/]/g, (c) => (c === '%' ? '%25' : '%2F'));
}

function requireText(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(argument, value, 'a non-empty string');
  }
  return value;
}

/** The API's field spellings (`postStart`, `preStop`) name the same hooks as the kubelet's. */
const FIELD_SPELLINGS: Readonly<Record<string, HookName>> = { postStart: 'PostStart', preStop: 'PreStop' };

function requireHook(argument: string, value: unknown): HookName {
  if (HOOK_NAMES.includes(value as HookName)) return value as HookName;
  const canonical =
    typeof value === 'string' && Object.hasOwn(FIELD_SPELLINGS, value) ? FIELD_SPELLINGS[value] : undefined;
  if (canonical === undefined) {
    throw new InvalidArgumentError(
      argument,
      value,
      "'PostStart' or 'PreStop' (or the field names 'postStart', 'preStop')",
    );
  }
  return canonical;
}
