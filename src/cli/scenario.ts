/**
 * The simulation script (`SimulationScript`): what `simulate` plays against a pod, built from
 * flags and/or a scenario file (YAML or JSON) read by {@link applyScenarioText}. The items it holds
 * are parsed in `hook-script.ts`.
 *
 * @module
 */

import { parse as parseYaml } from 'yaml';
import type { LifecyclePolicy } from '../index.js';
import { closest } from './args.js';
import { parseDuration } from './durations.js';
import { CliError, ExitCode, errorMessage, usageError } from './errors.js';
import {
  type HookScript,
  parseCrash,
  parseDeleteAgain,
  parseHookScript,
  parseInit,
  parseStopBehaviour,
  type StopBehaviour,
} from './hook-script.js';
import { parseExits, parseHorizon, parseProbes, type ScriptedExit, type ScriptedProbe } from './pod-scripts.js';
import { setPolicyOption } from './policy-flags.js';

/** Everything that can be scripted into a simulation, from flags and/or a scenario file (turned into a testing-kit `Scenario` by `toRunnerScenario`). */
export interface SimulationScript {
  /** `container.postStart` / `container.preStop` → script. */
  readonly hooks: Map<string, HookScript>;
  readonly stops: Map<string, StopBehaviour>;
  /** HTTP routes: matcher (`/path`, `host:port`, URL) → script; tried in order. */
  readonly http: Map<string, HookScript>;
  readonly crashes: Array<{ readonly container: string; readonly at: number; readonly exitCode: number }>;
  /** Non-sidecar init containers: when they complete (after their start) and with which code. */
  readonly init: Map<string, { readonly afterMs: number; readonly exitCode: number }>;
  /** When to delete (`undefined`: once every container is running) and with which grace. */
  deleteAt: number | undefined;
  gracePeriodSeconds: number | undefined;
  /** Repeat deletes (`--delete-again 15s:1`). */
  readonly deleteAgain: Array<{ readonly at: number; readonly gracePeriodSeconds: number }>;
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
    deleteAt: undefined,
    gracePeriodSeconds: undefined,
    deleteAgain: [],
    policy: {},
    pod: undefined,
    exits: [],
    probes: new Map(),
    forMs: undefined,
  };
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
          scenario.deleteAt = duration(value);
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
