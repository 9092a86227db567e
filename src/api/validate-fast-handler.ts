/**
 * The fast walk's checks of probes and lifecycle handlers (see `validate-fast.ts`): each answers
 * `true` only when the exhaustive validator would report nothing for that part, and builds no
 * field path or error.
 *
 * @internal
 * @module
 */

import { HOOK_FIELDS } from './defaulting.js';
import { integerProblem, isRecord, isUnset, type ListBudget, own, type UnknownRecord } from './input-reader.js';
import { MAX_LIST_ITEMS } from './limits.js';
import { LINUX_STOP_SIGNALS, WINDOWS_STOP_SIGNALS } from './validate-lifecycle.js';
import { isHTTPHeaderNameValid, isPortValid } from './validate-port.js';
import { PROBE_NUMBER_FIELDS } from './validate-probe.js';
import type { ValidationOptions } from './validation.js';

/** What one fast walk carries from container to container (one object per pod). */
export interface Walk {
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

/**
 * `readList`'s checks without an error: an array, at most `max` items, within the pod's budget
 * (charged), without holes.
 */
export function takeList(walk: Walk, value: unknown, max: number): value is readonly unknown[] {
  if (!Array.isArray(value) || value.length > max || value.length > walk.budget.remaining) return false;
  walk.budget.remaining -= value.length;
  for (let i = 0; i < value.length; i++) if (!(i in value)) return false;
  return true;
}

/**
 * `validateProbe` on a probe `applyProbeDefaults` already defaulted (defaulting it again changes
 * nothing): one handler of exec, httpGet, tcpSocket, grpc; the five numbers int32 ≥ 0; a set
 * grace a positive integer, and none on a readiness probe; `successThreshold` 1 on the others.
 */
export function isProbeValid(walk: Walk, probe: unknown, isReadiness: boolean): boolean {
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
export function isLifecycleValid(walk: Walk, lifecycle: unknown): boolean {
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
