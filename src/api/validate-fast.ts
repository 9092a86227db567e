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
import { HOOK_FIELDS, PROBE_FIELDS } from './defaulting.js';
import { resolveFeatureGates } from './drop-disabled-fields.js';
import type { FieldError } from './field-error.js';
import { integerProblem, isRecord, isUnset, type ListBudget, own, type UnknownRecord } from './input-reader.js';
import { MAX_CONTAINERS_PER_LIST, MAX_LIST_ITEMS, MAX_LIST_ITEMS_PER_POD } from './limits.js';
import { LINUX_STOP_SIGNALS, validateLifecycleAt, WINDOWS_STOP_SIGNALS } from './validate-lifecycle.js';
import { isDNS1123LabelValid, isDNS1123SubdomainValid, isHTTPHeaderNameValid, isPortValid } from './validate-port.js';
import { PROBE_NUMBER_FIELDS, validateProbe } from './validate-probe.js';
import { SUPPORTED_POD_RESTART_POLICIES, validateContainerRestartPolicy } from './validate-restart-policy.js';
import type { ValidationOptions } from './validation.js';

/** What one fast walk carries from container to container (one object per pod). */
interface Walk {
  readonly budget: ListBudget;
  readonly names: Set<string>;
  readonly gracePeriod: number;
  readonly osName: string | undefined;
  readonly stopSignals: boolean;
  readonly allowZeroSleep: boolean;
  readonly options: ValidationOptions & {
    readonly terminationGracePeriodSeconds: number;
    readonly osName: string | undefined;
    readonly listBudget: ListBudget;
  };
}

/** `maskTrailingDash` of validation.ts. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

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

/** Fields an ephemeral container may not set. */
const EPHEMERAL_FORBIDDEN = ['restartPolicy', 'restartPolicyRules', ...PROBE_FIELDS, 'lifecycle'] as const;

function hasNone(container: UnknownRecord, fields: readonly string[]): boolean {
  for (const field of fields) if (!isUnset(own(container, field))) return false;
  return true;
}

/**
 * `readList`'s checks without an error: an array, at most `max` items, within the pod's budget
 * (charged), without holes.
 */
function takeList(walk: Walk, value: unknown, max: number): value is readonly unknown[] {
  if (!Array.isArray(value) || value.length > max || value.length > walk.budget.remaining) return false;
  walk.budget.remaining -= value.length;
  for (let i = 0; i < value.length; i++) if (!(i in value)) return false;
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

/**
 * `validateProbe` on a probe `applyProbeDefaults` already defaulted (defaulting it again changes
 * nothing): one handler of exec, httpGet, tcpSocket, grpc; the five numbers int32 ≥ 0; a set
 * grace a positive integer, and none on a readiness probe; `successThreshold` 1 on the others.
 */
function isProbeValid(walk: Walk, probe: unknown, isReadiness: boolean): boolean {
  if (!isRecord(probe)) return false;
  const exec = own(probe, 'exec');
  const httpGet = own(probe, 'httpGet');
  const tcpSocket = own(probe, 'tcpSocket');
  const grpc = own(probe, 'grpc');
  const set = +!isUnset(exec) + +!isUnset(httpGet) + +!isUnset(tcpSocket) + +!isUnset(grpc);
  if (set !== 1) return false;
  if (!isUnset(exec)) {
    if (!isRecord(exec) || !isExecValid(walk, exec)) return false;
  } else if (!isUnset(httpGet)) {
    if (!isRecord(httpGet) || !isHttpGetValid(walk, httpGet)) return false;
  } else if (!isUnset(tcpSocket)) {
    if (!isRecord(tcpSocket) || !isPortValid(own(tcpSocket, 'port'))) return false;
    const host = own(tcpSocket, 'host');
    if (!isUnset(host) && typeof host !== 'string') return false;
  } else {
    if (!isRecord(grpc)) return false;
    const port = own(grpc, 'port');
    if (typeof port !== 'number' || !isPortValid(port)) return false;
    const service = own(grpc, 'service');
    if (!isUnset(service) && typeof service !== 'string') return false;
  }
  for (const field of PROBE_NUMBER_FIELDS) {
    const value = own(probe, field);
    if (isUnset(value)) continue;
    if (typeof value !== 'number' || integerProblem(value) !== undefined || value < 0 || value > 2147483647)
      return false;
  }
  const grace = own(probe, 'terminationGracePeriodSeconds');
  if (!isUnset(grace)) {
    if (isReadiness || typeof grace !== 'number' || integerProblem(grace) !== undefined || grace <= 0) return false;
  }
  const successThreshold = own(probe, 'successThreshold');
  return isReadiness || isUnset(successThreshold) || successThreshold === 1;
}

/** `validateLifecycleAt` on an already defaulted lifecycle. */
function isLifecycleValid(walk: Walk, lifecycle: unknown): boolean {
  if (!isRecord(lifecycle)) return false;
  for (const hook of HOOK_FIELDS) {
    const handler = own(lifecycle, hook);
    if (!isUnset(handler) && !isHandlerValid(walk, handler)) return false;
  }
  const stopSignal = own(lifecycle, 'stopSignal');
  if (!isUnset(stopSignal) && walk.stopSignals) {
    if (typeof stopSignal !== 'string' || walk.osName === undefined) return false;
    const allowed = walk.osName === 'windows' ? WINDOWS_STOP_SIGNALS : LINUX_STOP_SIGNALS;
    if (!allowed.includes(stopSignal)) return false;
  }
  return true;
}

/** `validateHandler` for a hook: exactly one of exec, httpGet, tcpSocket, sleep, valid. */
function isHandlerValid(walk: Walk, handler: unknown): boolean {
  if (!isRecord(handler)) return false;
  const exec = own(handler, 'exec');
  const httpGet = own(handler, 'httpGet');
  const tcpSocket = own(handler, 'tcpSocket');
  const sleep = own(handler, 'sleep');
  const set = +!isUnset(exec) + +!isUnset(httpGet) + +!isUnset(tcpSocket) + +!isUnset(sleep);
  if (set !== 1) return false;
  if (!isUnset(exec)) return isRecord(exec) && isExecValid(walk, exec);
  if (!isUnset(httpGet)) return isRecord(httpGet) && isHttpGetValid(walk, httpGet);
  if (!isUnset(tcpSocket)) {
    if (!isRecord(tcpSocket) || !isPortValid(own(tcpSocket, 'port'))) return false;
    const host = own(tcpSocket, 'host');
    return isUnset(host) || typeof host === 'string';
  }
  return isRecord(sleep) && isSleepValid(walk, sleep);
}

function isExecValid(walk: Walk, exec: UnknownRecord): boolean {
  const command = own(exec, 'command');
  if (!takeList(walk, command, MAX_LIST_ITEMS) || command.length === 0) return false;
  for (let i = 0; i < command.length; i++) if (typeof command[i] !== 'string') return false;
  return true;
}

function isHttpGetValid(walk: Walk, http: UnknownRecord): boolean {
  const path = own(http, 'path');
  if (typeof path !== 'string' || path === '') return false;
  if (!isPortValid(own(http, 'port'))) return false;
  const scheme = own(http, 'scheme');
  if (scheme !== 'HTTP' && scheme !== 'HTTPS') return false;
  const host = own(http, 'host');
  if (!isUnset(host) && typeof host !== 'string') return false;
  const headers = own(http, 'httpHeaders');
  if (isUnset(headers)) return true;
  if (!takeList(walk, headers, MAX_LIST_ITEMS)) return false;
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i];
    if (isUnset(header)) continue; // `readObject` skips an unset entry
    if (!isRecord(header)) return false;
    const name = own(header, 'name');
    const value = own(header, 'value');
    if (typeof name !== 'string' || !isHTTPHeaderNameValid(name)) return false;
    if (!isUnset(value) && typeof value !== 'string') return false;
  }
  return true;
}

function isSleepValid(walk: Walk, sleep: UnknownRecord): boolean {
  const seconds = own(sleep, 'seconds') ?? 0;
  if (typeof seconds !== 'number' || integerProblem(seconds) !== undefined) return false;
  return walk.allowZeroSleep ? seconds >= 0 && seconds <= walk.gracePeriod : seconds > 0 && seconds <= walk.gracePeriod;
}
