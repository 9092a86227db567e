import { parse as parseYaml } from 'yaml';
import type { LifecyclePolicy } from '../index.js';
import { closest } from './args.js';
import { parseDuration } from './durations.js';
import { CliError, ExitCode, errorMessage, usageError } from './errors.js';
import { parseExits, parseHorizon, parseProbes, type ScriptedExit, type ScriptedProbe } from './pod-scripts.js';
import { setPolicyOption } from './policy-flags.js';

/**
 * What a scripted hook (exec or httpGet) or HTTP route does, after `afterMs` of virtual time.
 * `ok` (also the default) succeeds: exit 0 for exec, 200 for HTTP.
 */
export type HookAction =
  | { readonly kind: 'exit'; readonly exitCode: number }
  | { readonly kind: 'status'; readonly status: number; readonly location?: string }
  | { readonly kind: 'ok' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'refuse' }
  | { readonly kind: 'fail' }
  | { readonly kind: 'plainHttp' }
  | { readonly kind: 'error'; readonly message: string };

/** A scripted hook or route: `exit:1,after:5s`, `status:500`, `hang`, `refuse`, `error:boom`, … */
export interface HookScript {
  readonly action: HookAction;
  readonly afterMs: number;
  readonly stderr?: string;
  /** The text it was parsed from, for messages. */
  readonly text: string;
}

/** How a container's main process reacts to its stop signal (`--stop`). */
export interface StopBehaviour {
  readonly ignoresStopSignal: boolean;
  readonly exitAfterMs: number;
  readonly exitCode?: number;
  readonly reject?: string;
}

/** Everything that can be scripted into a simulation, from flags and/or a scenario file (turned into a testing-kit `Scenario` by `toRunnerScenario`). */
export interface SimulationScript {
  /** `container.postStart` / `container.preStop` → script. */
  readonly hooks: Map<string, HookScript>;
  readonly stops: Map<string, StopBehaviour>;
  /** HTTP routes: matcher (`/path`, `host:port`, URL) → script; tried in order. */
  readonly http: Map<string, HookScript>;
  readonly crashes: Array<{ readonly container: string; readonly atMs: number; readonly exitCode: number }>;
  /** Non-sidecar init containers: when they complete (after their start) and with which code. */
  readonly init: Map<string, { readonly afterMs: number; readonly exitCode: number }>;
  /** When to delete (`undefined`: once every container is running) and with which grace. */
  deleteAtMs: number | undefined;
  gracePeriodSeconds: number | undefined;
  /** Repeat deletes (`--delete-again 15s:1`). */
  readonly deleteAgain: Array<{ readonly atMs: number; readonly gracePeriodSeconds: number }>;
  policy: LifecyclePolicy;
  /** Which pod of the manifest to simulate (by name). */
  pod: string | undefined;
  /** Main-process exits at virtual instants for the pod worker (`--exit main=1@5s`). */
  readonly exits: ScriptedExit[];
  /** Probe scripts by `container.probe` (`--probe web.liveness=fail@30s`). */
  readonly probes: Map<string, ScriptedProbe>;
  /** The virtual-time horizon (`--for 60s`); `undefined`: the default horizon. */
  forMs: number | undefined;
}

/** An empty scenario: every hook succeeds at once, processes exit on their stop signal. */
export function emptyScenario(): SimulationScript {
  return {
    hooks: new Map(),
    stops: new Map(),
    http: new Map(),
    crashes: [],
    init: new Map(),
    deleteAtMs: undefined,
    gracePeriodSeconds: undefined,
    deleteAgain: [],
    policy: {},
    pod: undefined,
    exits: [],
    probes: new Map(),
    forMs: undefined,
  };
}

const REST_KEYS = ['error', 'stderr'];

const ITEM_KEYS = [
  'after',
  'exit',
  'status',
  'redirect',
  'hang',
  'refuse',
  'fail',
  'ok',
  'succeed',
  'plain-http',
  'error',
  'stderr',
];

/** Whether a comma-separated part of a script begins a new item (`after:5s`, `hang`, …). */
function startsItem(part: string): boolean {
  const trimmed = part.trim();
  const colon = trimmed.indexOf(':');
  return ITEM_KEYS.includes(colon < 0 ? trimmed : trimmed.slice(0, colon));
}

/** Parses a hook or route script such as `exit:1,after:5s` or `status:500,after:2s`. */
export function parseHookScript(where: string, text: string): HookScript {
  let action: HookAction | undefined;
  let afterMs = 0;
  let stderr: string | undefined;
  const parts = text.split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = (parts[i] as string).trim();
    const colon = part.indexOf(':');
    const key = colon < 0 ? part : part.slice(0, colon);
    let value = colon < 0 ? undefined : part.slice(colon + 1);
    if (REST_KEYS.includes(key) && value !== undefined) {
      // TEXT may hold commas: it runs up to the next part that starts a known item.
      while (i + 1 < parts.length && !startsItem(parts[i + 1] as string)) value = `${value},${parts[++i]}`;
    }
    const set = (next: HookAction): void => {
      if (action !== undefined) throw new Error(`two outcomes (${describeAction(action)} and ${key})`);
      action = next;
    };
    switch (key) {
      case 'after': {
        const ms = value === undefined ? undefined : parseDuration(value);
        if (ms === undefined)
          throw new Error(`after needs a duration such as 5s or 500ms, got ${JSON.stringify(value ?? '')}`);
        afterMs = ms;
        break;
      }
      case 'exit':
        set({ kind: 'exit', exitCode: integer(key, value, 0, 255) });
        break;
      case 'status':
        set({ kind: 'status', status: integer(key, value, 100, 599) });
        break;
      case 'redirect':
        if (value === undefined || value === '') throw new Error('redirect needs a location, e.g. redirect:/other');
        set({ kind: 'status', status: 302, location: value });
        break;
      case 'hang':
      case 'refuse':
      case 'fail':
        if (value !== undefined) throw new Error(`${key} takes no value`);
        set({ kind: key });
        break;
      case 'ok':
      case 'succeed':
        set({ kind: 'ok' });
        break;
      case 'plain-http':
        set({ kind: 'plainHttp' });
        break;
      case 'error':
        set({ kind: 'error', message: value ?? 'scripted error' });
        break;
      case 'stderr':
        stderr = value ?? '';
        break;
      default:
        throw new Error(
          `unknown item ${JSON.stringify(part)}; use exit:N, status:N, redirect:PATH, hang, refuse, fail, plain-http, error:TEXT, stderr:TEXT, after:DURATION`,
        );
    }
  }
  return {
    action: action ?? { kind: 'ok' },
    afterMs,
    ...(stderr === undefined ? {} : { stderr }),
    text: `${where}=${text}`,
  };
}

/** Parses a stop behaviour: `ignore-sigterm`, `exit-after:3s`, `exit-code:0`, `reject:TEXT`. */
export function parseStopBehaviour(text: string): StopBehaviour {
  let ignoresStopSignal = false;
  let exitAfterMs = 0;
  let exitCode: number | undefined;
  let reject: string | undefined;
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const colon = part.indexOf(':');
    const key = colon < 0 ? part : part.slice(0, colon);
    const value = colon < 0 ? undefined : part.slice(colon + 1);
    if (key === 'ignore-sigterm' || key === 'ignore') ignoresStopSignal = true;
    else if (key === 'exit-after') {
      const ms = value === undefined ? undefined : parseDuration(value);
      if (ms === undefined)
        throw new Error(`exit-after needs a duration such as 3s, got ${JSON.stringify(value ?? '')}`);
      exitAfterMs = ms;
    } else if (key === 'exit-code') exitCode = integer(key, value, 0, 255);
    else if (key === 'reject') reject = value ?? 'rpc error: code = Unavailable';
    else
      throw new Error(
        `unknown item ${JSON.stringify(part)}; use ignore-sigterm, exit-after:DURATION, exit-code:N, reject:TEXT`,
      );
  }
  return {
    ignoresStopSignal,
    exitAfterMs,
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(reject === undefined ? {} : { reject }),
  };
}

/** Parses `web@12s` or `web@12s,exit:0` (a crash) into container, time and exit code. */
export function parseCrash(text: string): { container: string; atMs: number; exitCode: number } {
  const match = /^([^@]+)@([^,]+)(?:,exit:(\d+))?$/.exec(text.trim());
  const atMs = match === null ? undefined : parseDuration(match[2] as string);
  if (match === null || atMs === undefined) throw new Error('expected CONTAINER@TIME[,exit:N], e.g. web@12s');
  return {
    container: match[1] as string,
    atMs,
    exitCode: match[3] === undefined ? 1 : integer('exit', match[3], 0, 255),
  };
}

/** Parses `15s:1` (a repeat delete at 15 s with grace 1). */
export function parseDeleteAgain(text: string): { atMs: number; gracePeriodSeconds: number } {
  const match = /^([^:]+):(-?\d+)$/.exec(text.trim());
  const atMs = match === null ? undefined : parseDuration(match[1] as string);
  if (match === null || atMs === undefined) throw new Error('expected TIME:GRACE, e.g. 15s:1');
  return { atMs, gracePeriodSeconds: Number(match[2]) };
}

/** Parses `exit-after:2s[,exit:N]` for an init container. */
export function parseInit(text: string): { afterMs: number; exitCode: number } {
  const stop = parseHookScript('init', text.replace(/exit-after:/, 'after:'));
  const exitCode = stop.action.kind === 'exit' ? stop.action.exitCode : 0;
  return { afterMs: stop.afterMs, exitCode };
}

function integer(key: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${key} needs an integer from ${min} to ${max}, got ${JSON.stringify(value ?? '')}`);
  }
  return n;
}

function describeAction(action: HookAction): string {
  return action.kind;
}

const SCENARIO_KEYS = [
  'pod',
  'deleteAt',
  'grace',
  'deleteAgain',
  'hooks',
  'stops',
  'http',
  'crashes',
  'init',
  'policy',
  'exits',
  'probes',
  'for',
];

/** Reads a scenario file (YAML or JSON) into `scenario`; problems are usage errors naming the file. */
export function applyScenarioText(scenario: SimulationScript, text: string, source: string): void {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    throw new CliError(`${source}: invalid YAML: ${errorMessage(error)}`, { exitCode: ExitCode.usage });
  }
  if (data === null || data === undefined) return;
  if (typeof data !== 'object' || Array.isArray(data))
    throw new CliError(`${source}: expected a mapping of scenario keys (${SCENARIO_KEYS.join(', ')})`);
  const fail = (key: string, error: unknown): never => {
    throw new CliError(`${source}: ${key}: ${errorMessage(error)}`, { exitCode: ExitCode.usage });
  };
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    try {
      switch (key) {
        case 'pod':
          scenario.pod = String(value);
          break;
        case 'deleteAt':
          scenario.deleteAtMs = duration(value);
          break;
        case 'grace':
          scenario.gracePeriodSeconds = graceValue(value);
          break;
        case 'deleteAgain':
          for (const item of list(value)) scenario.deleteAgain.push(parseDeleteAgain(String(item)));
          break;
        case 'hooks':
          for (const [k, v] of entries(value)) scenario.hooks.set(k, parseHookScript(k, String(v)));
          break;
        case 'stops':
          for (const [k, v] of entries(value)) scenario.stops.set(k, parseStopBehaviour(String(v)));
          break;
        case 'http':
          for (const [k, v] of entries(value)) scenario.http.set(k, parseHookScript(k, String(v)));
          break;
        case 'crashes':
          for (const item of list(value)) scenario.crashes.push(parseCrash(String(item)));
          break;
        case 'init':
          for (const [k, v] of entries(value)) scenario.init.set(k, parseInit(String(v)));
          break;
        case 'exits':
          for (const item of list(value)) scenario.exits.push(...parseExits(String(item)));
          break;
        case 'probes':
          for (const [k, v] of entries(value))
            for (const probe of parseProbes(`${k}=${String(v)}`))
              scenario.probes.set(`${probe.container}.${probe.probe}`, probe);
          break;
        case 'for':
          scenario.forMs = parseHorizon(value as string);
          break;
        case 'policy':
          for (const [k, v] of entries(value))
            setPolicyOption('simulate', scenario.policy as Record<string, unknown>, k, v);
          break;
        default: {
          const hint = closest(key, SCENARIO_KEYS);
          throw new Error(
            `unknown key${hint === undefined ? '' : ` (did you mean ${hint}?)`}; known: ${SCENARIO_KEYS.join(', ')}`,
          );
        }
      }
    } catch (error) {
      if (error instanceof CliError && error.message.startsWith(source)) throw error;
      fail(key, error);
    }
  }
}

function duration(value: unknown): number {
  const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) throw new Error(`expected a duration such as 10s, got ${JSON.stringify(value)}`);
  return ms;
}

/** A grace period in whole seconds (negative allowed: the API server treats it as 1). */
export function graceValue(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value).replace(/s$/, ''));
  if (!Number.isSafeInteger(n)) throw new Error(`expected a whole number of seconds, got ${JSON.stringify(value)}`);
  return n;
}

function entries(value: unknown): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a mapping');
  return Object.entries(value as Record<string, unknown>);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Flag-level parse with the command's usage error. */
export function fromFlag<T>(flag: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    throw usageError('simulate', `--${flag} ${JSON.stringify(text)}: ${errorMessage(error)}`);
  }
}
