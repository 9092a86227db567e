/**
 * The happy path of `validatePod`: a walk of a defaulted pod that answers "no problem at all"
 * without building a field path, an error list or any per-container object (issue 19 target 2:
 * the first validation of each pod object is on the manager's start path). It only ever answers
 * `true` when the exhaustive walk (`validateDefaultedPod`, which reports every problem with its
 * path) would report nothing; on anything it does not check itself, or on the first problem, it
 * answers `false` and the caller runs the exhaustive walk, so the errors reported (codes,
 * messages, paths, order) are those of the exhaustive walk, whatever the input.
 *
 * Parts that pods rarely have (container restart policies and rules, a list `applyDefaults` did
 * not default) are handed to the exhaustive validators with a scratch error
 * list: they allocate as before, and any error they find sends the pod to the exhaustive walk.
 * `test/api/validate-fast.test.ts` checks, on generated valid, invalid and garbage pods, that
 * `validatePod` answers exactly what the exhaustive walk answers, and that this walk accepts the
 * valid pods of the testing kit's arbitraries.
 *
 * @internal
 * @module
 */
import { PROBE_FIELDS } from './defaulting.js';
import { resolveFeatureGates } from './drop-disabled-fields.js';
import type { FieldError } from './field-error.js';
import { integerProblem, isRecord, isUnset, type ListBudget, own, type UnknownRecord } from './input-reader.js';
import { MAX_CONTAINERS_PER_LIST, MAX_LIST_ITEMS_PER_POD } from './limits.js';
import { EPHEMERAL_FORBIDDEN } from './validate-containers.js';
import { isLifecycleValid, isProbeValid, takeList, type Walk } from './validate-fast-handler.js';
import { validateLifecycleAt } from './validate-lifecycle.js';
import { isDNS1123LabelValid, isDNS1123SubdomainValid, maskTrailingDash } from './validate-port.js';
import { validateProbe } from './validate-probe.js';
import { SUPPORTED_POD_RESTART_POLICIES, validateContainerRestartPolicy } from './validate-restart-policy.js';
import type { ValidationOptions } from './validation.js';

/**
 * True only when `validateDefaultedPod(pod, options, defaultedLists)` reports no error; `false`
 * means "not known": run the exhaustive walk. Never throws.
 */
export function isValidDefaultedPod(
  pod: unknown,
  options: ValidationOptions,
  defaultedLists: readonly unknown[],
): boolean {
  try {
    return walkPod(pod, options, defaultedLists);
  } catch {
    return false; // hostile input: the exhaustive walk reports it
  }
}

function walkPod(pod: unknown, options: ValidationOptions, defaultedLists: readonly unknown[]): boolean {
  if (!isRecord(pod)) return false;
  const metadata = own(pod, 'metadata');
  if (!isRecord(metadata)) return false;
  const generateName = own(metadata, 'generateName');
  if (!isUnset(generateName)) {
    if (typeof generateName !== 'string') return false;
    if (generateName !== '' && !isDNS1123SubdomainValid(maskTrailingDash(generateName))) return false;
  }
  const name = own(metadata, 'name');
  if (typeof name === 'string' && name !== '') {
    if (!isDNS1123SubdomainValid(name)) return false;
  } else if (!(isUnset(name) || name === '') || isUnset(generateName) || generateName === '') return false;

  const spec = own(pod, 'spec');
  if (!isRecord(spec)) return false;
  const gracePeriod = own(spec, 'terminationGracePeriodSeconds');
  if (typeof gracePeriod !== 'number' || integerProblem(gracePeriod) !== undefined) return false;
  let osName: string | undefined;
  const os = own(spec, 'os');
  if (!isUnset(os)) {
    if (!isRecord(os)) return false;
    const rawOsName = own(os, 'name');
    if (rawOsName !== 'linux' && rawOsName !== 'windows') return false;
    osName = rawOsName;
  }
  const policy = own(spec, 'restartPolicy');
  if (typeof policy !== 'string' || !(SUPPORTED_POD_RESTART_POLICIES as readonly string[]).includes(policy)) {
    return false;
  }
  const budget: ListBudget = { remaining: MAX_LIST_ITEMS_PER_POD };
  const walk: Walk = {
    budget,
    names: new Set(),
    gracePeriod,
    osName,
    stopSignals: resolveFeatureGates(options.featureGates).ContainerStopSignals,
    allowZeroSleep: options.allowZeroSleep ?? true,
    options: { ...options, terminationGracePeriodSeconds: gracePeriod, osName, listBudget: budget },
  };

  const containers = own(spec, 'containers');
  if (!Array.isArray(containers) || containers.length === 0 || !takeList(walk, containers, MAX_CONTAINERS_PER_LIST))
    return false;
  let isDefaulted = defaultedLists.includes(containers);
  for (let i = 0; i < containers.length; i++) {
    const container = containers[i];
    if (!isNamedContainer(walk, container)) return false;
    if (!isAllowedLifecycleValid(walk, container, isDefaulted)) return false;
    if (!isRestartPolicyValid(walk, container)) return false;
  }

  const initContainers = own(spec, 'initContainers');
  if (!isUnset(initContainers)) {
    if (!takeList(walk, initContainers, MAX_CONTAINERS_PER_LIST)) return false;
    isDefaulted = defaultedLists.includes(initContainers);
    for (let i = 0; i < initContainers.length; i++) {
      const container = initContainers[i];
      if (!isRecord(container)) return false;
      if (own(container, 'restartPolicy') === 'Always') {
        const rules = own(container, 'restartPolicyRules');
        if (Array.isArray(rules) ? rules.length > 0 : !isUnset(rules)) return false;
      } else if (!isRestartPolicyValid(walk, container)) return false;
      if (!isNamedContainer(walk, container)) return false;
      if (own(container, 'restartPolicy') === 'Always') {
        if (!isAllowedLifecycleValid(walk, container, isDefaulted)) return false;
      } else if (!hasNone(container, INIT_FORBIDDEN)) return false;
    }
  }

  const ephemeralContainers = own(spec, 'ephemeralContainers');
  if (!isUnset(ephemeralContainers)) {
    if (!takeList(walk, ephemeralContainers, MAX_CONTAINERS_PER_LIST)) return false;
    for (let i = 0; i < ephemeralContainers.length; i++) {
      const container = ephemeralContainers[i];
      if (!isNamedContainer(walk, container) || !hasNone(container as UnknownRecord, EPHEMERAL_FORBIDDEN)) return false;
    }
  }
  return true;
}

/** Fields an init container without `restartPolicy: Always` may not set. */
const INIT_FORBIDDEN = ['lifecycle', ...PROBE_FIELDS] as const;

function hasNone(container: UnknownRecord, fields: readonly string[]): boolean {
  for (const field of fields) if (!isUnset(own(container, field))) return false;
  return true;
}

/** An object whose name is a DNS-1123 label not seen before in any list of the pod. */
function isNamedContainer(walk: Walk, container: unknown): container is UnknownRecord {
  if (!isRecord(container)) return false;
  const name = own(container, 'name');
  if (typeof name !== 'string' || name === '' || !isDNS1123LabelValid(name) || walk.names.has(name)) return false;
  walk.names.add(name);
  return true;
}

/** `validateContainerRestartPolicy` (regular and non-sidecar init containers). */
function isRestartPolicyValid(walk: Walk, container: UnknownRecord): boolean {
  const policy = own(container, 'restartPolicy');
  const rules = own(container, 'restartPolicyRules');
  if (isUnset(policy) && isUnset(rules)) return true;
  const scratch: FieldError[] = [];
  validateContainerRestartPolicy(scratch, container, '', walk.budget);
  return scratch.length === 0;
}

/** A lifecycle and probes, where they are allowed. */
function isAllowedLifecycleValid(walk: Walk, container: UnknownRecord, isDefaulted: boolean): boolean {
  const lifecycle = own(container, 'lifecycle');
  if (!isUnset(lifecycle)) {
    if (isDefaulted) {
      if (!isLifecycleValid(walk, lifecycle)) return false;
    } else if (validateLifecycleAt(lifecycle, '', walk.options, false).length > 0) return false;
  }
  for (const probeName of PROBE_FIELDS) {
    const probe = own(container, probeName);
    if (isUnset(probe)) continue;
    if (isDefaulted) {
      if (!isProbeValid(walk, probe, probeName === 'readinessProbe')) return false;
    } else if (validateProbe(probe, probeName, '', walk.options).length > 0) return false;
  }
  return true;
}
