/**
 * What `simulate` scripts for the pod worker (issue 14 item 8, issue 15 item 6): exits of main
 * processes at virtual instants (`--exit main=1@5s`), probe results over time
 * (`--probe web.liveness=fail@30s`) and the virtual-time horizon (`--for 60s`).
 *
 * @module
 */

import type { Container, Pod, Probe } from '../api/types.js';
import {
  failAlways,
  failFrom,
  flapEvery,
  hangFrom,
  type ProbeScript,
  passAlways,
  passFrom,
} from '../testing/probe-scripts.js';
import { closest } from './args.js';
import { formatSeconds, parseDuration } from './durations.js';

/** A main process exiting by itself with `exitCode` at the virtual instant `at` (`main=1@5s`). */
export interface ScriptedExit {
  readonly container: string;
  readonly exitCode: number;
  readonly at: number;
  /** The text it was parsed from, for messages. */
  readonly text: string;
}

/** The probe types a script can answer for. */
export type ScriptedProbeType = 'liveness' | 'readiness' | 'startup';

/**
 * What a scripted probe answers over virtual time (measured from t=0 of the simulation):
 * `pass`/`fail`/`hang` from `fromMs` on (before it: the opposite; `hang` passes before), or
 * `flap` every `periods` probe periods starting healthy.
 */
export type ProbeScriptSpec =
  | { readonly kind: 'pass' | 'fail' | 'hang'; readonly fromMs: number }
  | { readonly kind: 'flap'; readonly periods: number };

/** A scripted probe: `web.liveness=fail@30s`. */
export interface ScriptedProbe {
  readonly container: string;
  readonly probe: ScriptedProbeType;
  readonly script: ProbeScriptSpec;
  /** The text it was parsed from, for messages. */
  readonly text: string;
}

/** The longest `--for` horizon: one virtual day (a crash loop reaches its 5 min cap long before). */
export const MAX_HORIZON_MS = 24 * 60 * 60 * 1000;

const PROBE_TYPES: readonly ScriptedProbeType[] = ['liveness', 'readiness', 'startup'];

/**
 * Parses `main=1@5s` or a comma list `main=1@5s,main=0@30s`.
 *
 * @example parseExits('main=1@5s') // [{ container: 'main', exitCode: 1, at: 5000, text: 'main=1@5s' }]
 */
export function parseExits(text: string): ScriptedExit[] {
  return items(text, (item) => {
    const match = /^([^=@\s]+)=([^@]*)@(.+)$/.exec(item);
    if (match === null) throw new Error(`expected CONTAINER=CODE@TIME, e.g. main=1@5s`);
    const code = match[2] as string;
    const exitCode = Number(code);
    if (code === '' || !Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)
      throw new Error(`the exit code must be an integer from 0 to 255, got ${JSON.stringify(code)}`);
    const at = parseDuration(match[3] as string);
    if (at === undefined)
      throw new Error(`the time must be a duration such as 5s or 1500ms, got ${JSON.stringify(match[3])}`);
    return { container: match[1] as string, exitCode, at, text: item };
  });
}

/**
 * Parses `web.liveness=fail@30s`, or a comma list. Behaviours: `pass`, `fail`, `hang` (from t=0),
 * `fail@T` (passes before T), `pass@T` (fails before T), `hang@T` (passes before T, then never
 * answers: the probe's timeoutSeconds decides), `flap:N` (alternates every N probe periods).
 *
 * @example parseProbes('web.liveness=fail@30s')[0]?.script // { kind: 'fail', fromMs: 30000 }
 */
export function parseProbes(text: string): ScriptedProbe[] {
  return items(text, (item) => {
    const match = /^([^=.\s]+)\.([^=\s]+)=(.*)$/.exec(item);
    if (match === null) throw new Error(`expected CONTAINER.PROBE=BEHAVIOUR, e.g. web.liveness=fail@30s`);
    const probe = match[2] as string;
    if (!PROBE_TYPES.includes(probe as ScriptedProbeType)) {
      const hint = closest(probe, PROBE_TYPES);
      throw new Error(
        `unknown probe ${JSON.stringify(probe)}${hint === undefined ? '' : ` (did you mean ${hint}?)`}; use liveness, readiness or startup`,
      );
    }
    return {
      container: match[1] as string,
      probe: probe as ScriptedProbeType,
      script: parseProbeBehaviour(match[3] as string),
      text: item,
    };
  });
}

function parseProbeBehaviour(text: string): ProbeScriptSpec {
  const flap = /^flap:(.*)$/.exec(text);
  if (flap !== null) {
    const periods = Number(flap[1]);
    if (!Number.isInteger(periods) || periods < 1)
      throw new Error(`flap needs a whole number of periods ≥ 1, e.g. flap:2`);
    return { kind: 'flap', periods };
  }
  const match = /^(pass|fail|hang)(?:@(.*))?$/.exec(text);
  if (match === null)
    throw new Error(
      `unknown behaviour ${JSON.stringify(text)}; use pass, fail, hang, fail@TIME, pass@TIME, hang@TIME or flap:N`,
    );
  const fromMs = match[2] === undefined ? 0 : parseDuration(match[2]);
  if (fromMs === undefined) throw new Error(`the time must be a duration such as 30s, got ${JSON.stringify(match[2])}`);
  return { kind: match[1] as 'pass' | 'fail' | 'hang', fromMs };
}

/** Parses the `--for` horizon: a duration above 0 and at most one day. */
export function parseHorizon(text: string | number): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`expected a duration such as 60s or 5m, got ${JSON.stringify(text)}`);
  if (ms <= 0) throw new Error('the horizon must be longer than 0s');
  if (ms > MAX_HORIZON_MS) throw new Error(`at most ${formatSeconds(MAX_HORIZON_MS)} (24h), got ${formatSeconds(ms)}`);
  return ms;
}

/** The testing kit's script for a spec (spec pod §6; `src/testing/probe-scripts.ts`). */
export function toProbeScript(spec: ProbeScriptSpec, periodSeconds: number): ProbeScript {
  if (spec.kind === 'flap') return flapEvery(spec.periods, periodSeconds);
  if (spec.kind === 'pass') return spec.fromMs === 0 ? passAlways : passFrom(spec.fromMs);
  if (spec.kind === 'fail') return spec.fromMs === 0 ? failAlways : failFrom(spec.fromMs);
  return hangFrom(spec.fromMs);
}

/**
 * Checks scripted exits and probes against the pod: the container exists (a regular container or
 * sidecar for probes; any container for exits) and the scripted probe is defined. Returns one
 * message per problem, each naming the script it comes from.
 */
export function checkPodScripts(pod: Pod, exits: readonly ScriptedExit[], probes: Iterable<ScriptedProbe>): string[] {
  const all: Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const names = all.map((c) => c.name);
  const problems: string[] = [];
  const unknown = (text: string, name: string): string => {
    const hint = closest(name, names);
    return `${text}: no container ${JSON.stringify(name)} in the pod${hint === undefined ? '' : ` (did you mean ${hint}?)`}; containers: ${names.join(', ')}`;
  };
  for (const exit of exits) if (!names.includes(exit.container)) problems.push(unknown(exit.text, exit.container));
  for (const probe of probes) {
    const container = all.find((c) => c.name === probe.container);
    if (container === undefined) problems.push(unknown(probe.text, probe.container));
    else if (probeOf(container, probe.probe) === undefined)
      problems.push(`${probe.text}: container ${probe.container} has no ${probe.probe}Probe to script`);
  }
  return problems;
}

/** The container's probe of that type, if any. */
export function probeOf(container: Container, type: ScriptedProbeType): Probe | undefined {
  return container[`${type}Probe`];
}

/** Splits a comma list and parses each item; with several items an error names the one at fault. */
function items<T>(text: string, parse: (item: string) => T): T[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new Error('an empty item in the list');
  return parts.map((item) => {
    try {
      return parse(item);
    } catch (error) {
      if (parts.length === 1) throw error;
      throw new Error(`${JSON.stringify(item)}: ${(error as Error).message}`);
    }
  });
}
