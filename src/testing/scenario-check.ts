import { containersInOrder, type OrderedContainer } from '../api/container-order.js';
import type { Pod } from '../api/types.js';
import { type ResolvedPolicy, resolvePolicy } from '../container/policy.js';
import { KILL_REASONS, type KillReason } from '../grace/kill-grace.js';
import { ScenarioError } from './errors.js';
import type { Scenario, ScenarioActionKind } from './scenario.js';

/** An action after checking: kind, time and its fields, with its index in `scenario.actions`. */
export interface CheckedAction {
  readonly index: number;
  /** The instant asked for (0 for an `after` action until it runs). */
  readonly at: number;
  /** Index of the action this one waits for. */
  readonly after?: number | undefined;
  readonly kind: ScenarioActionKind;
  /** Container name (start, stop, crash). */
  readonly container?: string | undefined;
  readonly exitCode?: number | undefined;
  readonly gracePeriodOverride?: number | undefined;
  readonly reason?: KillReason | undefined;
  readonly gracePeriodSeconds?: number | undefined;
}

const SCENARIO_KEYS = [
  'actions',
  'hooks',
  'exec',
  'http',
  'stops',
  'starts',
  'init',
  'policy',
  'kubeletVersion',
  'until',
  'maxTimers',
];
const ACTION_KEYS: Readonly<Record<ScenarioActionKind, readonly string[]>> = {
  start: ['at', 'after', 'start'],
  startAll: ['at', 'after', 'startAll'],
  stop: ['at', 'after', 'stop', 'gracePeriodOverride', 'reason'],
  crash: ['at', 'after', 'crash', 'exitCode'],
  delete: ['at', 'after', 'delete', 'gracePeriodSeconds'],
};
const KINDS = Object.keys(ACTION_KEYS) as ScenarioActionKind[];
const EXEC_KEYS = ['exitCode', 'stdout', 'stderr', 'delayMs', 'hang', 'reject', 'throw', 'times'];
const HTTP_KEYS = ['status', 'headers', 'delayMs', 'hang', 'error', 'errorCode', 'refuse', 'plainHttp', 'times'];
const HTTP_OUTCOMES = ['hang', 'error', 'refuse', 'plainHttp'];
const STOP_KEYS = ['ignoreSigterm', 'exitsOn', 'exitDelayMs', 'exitCode', 'reject', 'times'];
const START_KEYS = ['delayMs', 'reject', 'throw', 'hang', 'times'];
const INIT_KEYS = ['exitAfterMs', 'exitCode'];

/** The scenario's policy, resolved; a bad one is a {@link ScenarioError} at `policy`. */
export function scenarioPolicy(scenario: Scenario): ResolvedPolicy {
  const s = record(scenario, '', 'a scenario object such as { actions: [{ at: 0, startAll: true }] }');
  try {
    return resolvePolicy(s['policy'] as Scenario['policy']);
  } catch (error) {
    throw new ScenarioError('policy', (error as Error).message);
  }
}

/**
 * Check a scenario against a (valid, defaulted) pod; throws a {@link ScenarioError} naming the
 * first problem. Returns the actions in input order and the resolved policy.
 */
export function checkScenario(pod: Pod, scenario: Scenario): { actions: CheckedAction[]; policy: ResolvedPolicy } {
  const s = record(scenario, '', 'a scenario object such as { actions: [{ at: 0, startAll: true }] }');
  onlyKeys(s, SCENARIO_KEYS, '');
  const order = containersInOrder(pod);
  const names = order.map((o) => o.container.name);
  const known = (path: string, name: unknown): string => {
    if (typeof name !== 'string' || !names.includes(name)) {
      throw new ScenarioError(path, `unknown container ${JSON.stringify(name)}; the pod has ${names.join(', ')}`);
    }
    return name;
  };
  const policy = scenarioPolicy(scenario);
  if (
    s['kubeletVersion'] !== undefined &&
    (typeof s['kubeletVersion'] !== 'string' || !/^\d+\.\d+$/.test(s['kubeletVersion']))
  ) {
    throw new ScenarioError(
      'kubeletVersion',
      `expected 'major.minor' such as '1.35', got ${JSON.stringify(s['kubeletVersion'])}`,
    );
  }
  const until = s['until'] === undefined ? undefined : time(s['until'], 'until');
  if (s['maxTimers'] !== undefined) integer(s['maxTimers'], 'maxTimers', 1);

  if (!Array.isArray(s['actions']))
    throw new ScenarioError('actions', `expected an array of actions, got ${describe(s['actions'])}`);
  // biome-ignore lint/suspicious/useIterableCallbackReturn: every path returns an action or throws a ScenarioError (the type checker proves it).
  const actions = (s['actions'] as unknown[]).map((raw, index): CheckedAction => {
    const path = `actions[${index}]`;
    const a = record(raw, path, `an action such as { at: 0, start: 'web' }`);
    const kinds = KINDS.filter((k) => a[k] !== undefined);
    if (kinds.length !== 1) {
      const what =
        kinds.length === 0
          ? `no action (keys: ${Object.keys(a).join(', ') || 'none'})`
          : `${kinds.join(' and ')} at once`;
      throw new ScenarioError(path, `unknown action: ${what}; expected exactly one of ${KINDS.join(', ')}`);
    }
    const kind = kinds[0] as ScenarioActionKind;
    onlyKeys(a, ACTION_KEYS[kind], path);
    const at = a['at'] === undefined ? 0 : time(a['at'], `${path}.at`);
    if (until !== undefined && at > until)
      throw new ScenarioError(`${path}.at`, `${at} ms is after until (${until} ms); the action would never run`);
    if (a['after'] !== undefined && a['at'] !== undefined) throw new ScenarioError(path, 'give at or after, not both');
    const after = a['after'];
    if (after !== undefined && !(Number.isSafeInteger(after) && (after as number) >= 0 && (after as number) < index)) {
      throw new ScenarioError(
        `${path}.after`,
        `expected the index of an earlier action (0 to ${index - 1}), got ${describe(after)}`,
      );
    }
    const base = { index, at, kind, ...(after === undefined ? {} : { after: after as number }) };
    switch (kind) {
      case 'start':
        return { ...base, container: known(`${path}.start`, a['start']) };
      case 'startAll':
      case 'delete':
        if (a[kind] !== true) throw new ScenarioError(`${path}.${kind}`, `expected true, got ${describe(a[kind])}`);
        if (kind === 'startAll') return base;
        return a['gracePeriodSeconds'] === undefined
          ? base
          : { ...base, gracePeriodSeconds: integer(a['gracePeriodSeconds'], `${path}.gracePeriodSeconds`, -Infinity) };
      case 'stop': {
        const reason = a['reason'];
        if (reason !== undefined && !KILL_REASONS.includes(reason as KillReason)) {
          throw new ScenarioError(
            `${path}.reason`,
            `expected one of ${KILL_REASONS.join(', ')}, got ${describe(reason)}`,
          );
        }
        return {
          ...base,
          container: known(`${path}.stop`, a['stop']),
          ...(a['gracePeriodOverride'] === undefined
            ? {}
            : { gracePeriodOverride: integer(a['gracePeriodOverride'], `${path}.gracePeriodOverride`, 0) }),
          ...(reason === undefined ? {} : { reason: reason as KillReason }),
        };
      }
      case 'crash':
        return {
          ...base,
          container: known(`${path}.crash`, a['crash']),
          exitCode: a['exitCode'] === undefined ? 1 : integer(a['exitCode'], `${path}.exitCode`, 0, 255),
        };
    }
  });

  for (const [key, fault] of entries(s['hooks'], 'hooks')) checkHookFault(order, key, fault);
  for (const [key, fault] of entries(s['exec'], 'exec'))
    checkFault(fault, `exec[${JSON.stringify(key)}]`, EXEC_KEYS, ['hang', 'reject', 'throw']);
  for (const [key, fault] of entries(s['http'], 'http'))
    checkFault(fault, `http[${JSON.stringify(key)}]`, HTTP_KEYS, HTTP_OUTCOMES);
  for (const [name, fault] of entries(s['stops'], 'stops')) {
    known(`stops[${JSON.stringify(name)}]`, name);
    checkFault(fault, `stops[${JSON.stringify(name)}]`, STOP_KEYS, ['reject']);
  }
  for (const [name, fault] of entries(s['starts'], 'starts')) {
    known(`starts[${JSON.stringify(name)}]`, name);
    checkFault(fault, `starts[${JSON.stringify(name)}]`, START_KEYS, ['hang', 'reject', 'throw']);
  }
  for (const [name, plan] of entries(s['init'], 'init')) {
    const path = `init[${JSON.stringify(name)}]`;
    known(path, name);
    if (order.find((o) => o.container.name === name)?.kind !== 'init')
      throw new ScenarioError(
        path,
        `${name} is not an init container (sidecars and regular containers run until stopped)`,
      );
    checkFault(plan, path, INIT_KEYS, []);
  }
  return { actions, policy };
}

function checkHookFault(order: readonly OrderedContainer[], key: string, fault: unknown): void {
  const path = `hooks[${JSON.stringify(key)}]`;
  const dot = key.lastIndexOf('.');
  const hook = key.slice(dot + 1);
  if (dot <= 0 || (hook !== 'postStart' && hook !== 'preStop'))
    throw new ScenarioError(path, 'expected a key "<container>.postStart" or "<container>.preStop"');
  const name = key.slice(0, dot);
  const container = order.find((o) => o.container.name === name)?.container;
  if (container === undefined)
    throw new ScenarioError(
      path,
      `unknown container ${JSON.stringify(name)}; the pod has ${order.map((o) => o.container.name).join(', ')}`,
    );
  const handler = container.lifecycle?.[hook];
  if (handler?.exec !== undefined) checkFault(fault, path, EXEC_KEYS, ['hang', 'reject', 'throw']);
  else if (handler?.httpGet !== undefined) checkFault(fault, path, HTTP_KEYS, HTTP_OUTCOMES);
  else if (handler === undefined) throw new ScenarioError(path, `container ${name} has no ${hook} hook`);
  else
    throw new ScenarioError(
      path,
      `only exec and httpGet hooks can be scripted (a sleep hook runs in the kubelet; tcpSocket always fails)`,
    );
}

function checkFault(value: unknown, path: string, keys: readonly string[], outcomes: readonly string[]): void {
  const f = record(value, path, `an object with some of ${keys.join(', ')}`);
  onlyKeys(f, keys, path);
  const chosen = outcomes.filter((k) => f[k] !== undefined);
  if (chosen.length > 1) throw new ScenarioError(path, `choose one outcome, got ${chosen.join(' and ')}`);
  for (const [key, v] of Object.entries(f)) {
    const at = `${path}.${key}`;
    if (v === undefined) continue;
    if (key === 'hang' || key === 'refuse' || key === 'plainHttp') {
      if (v !== true) throw new ScenarioError(at, `expected true, got ${describe(v)}`);
    } else if (key === 'ignoreSigterm') {
      if (typeof v !== 'boolean') throw new ScenarioError(at, `expected a boolean, got ${describe(v)}`);
    } else if (key.endsWith('Ms')) time(v, at);
    else if (key === 'exitCode') integer(v, at, 0, 255);
    else if (key === 'status') integer(v, at, 100, 599);
    else if (key === 'times') integer(v, at, 1);
    else if (key === 'exitsOn') {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        throw new ScenarioError(at, `expected an array of signal names, got ${describe(v)}`);
    } else if (key === 'headers') {
      if (Object.values(record(v, at, 'a mapping of header names to strings')).some((x) => typeof x !== 'string'))
        throw new ScenarioError(at, 'header values must be strings');
    } else if (typeof v !== 'string') throw new ScenarioError(at, `expected a string, got ${describe(v)}`);
  }
  if (chosen.some((k) => k === 'hang' || k === 'throw') && f['delayMs'] !== undefined)
    throw new ScenarioError(`${path}.delayMs`, `does not apply with ${chosen[0]}`);
  if (chosen.length > 0 && ['exitCode', 'stdout', 'stderr'].some((k) => f[k] !== undefined))
    throw new ScenarioError(path, `${chosen[0]} and an exit result at once; choose one outcome`);
  if (chosen.length > 0 && chosen[0] !== 'plainHttp' && (f['status'] !== undefined || f['headers'] !== undefined))
    throw new ScenarioError(path, `${chosen[0]} and a status at once; choose one outcome`);
}

function record(value: unknown, path: string, expected: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ScenarioError(path || '<root>', `expected ${expected}, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function entries(value: unknown, path: string): Array<[string, unknown]> {
  return value === undefined ? [] : Object.entries(record(value, path, 'a mapping'));
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new ScenarioError(
        path === '' ? key : `${path}.${key}`,
        `unknown key; expected one of ${allowed.join(', ')}`,
      );
  }
}

function time(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ScenarioError(path, `expected a time in virtual ms >= 0, got ${describe(value)}`);
  return value;
}

function integer(value: unknown, path: string, min: number, max = Infinity): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    const range = max === Infinity ? (min === -Infinity ? '' : ` >= ${min}`) : ` from ${min} to ${max}`;
    throw new ScenarioError(path, `expected an integer${range}, got ${describe(value)}`);
  }
  return value as number;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : (JSON.stringify(value) ?? String(value));
}
