/**
 * The items of a simulation script, each parsed from its text (a flag's value or a scenario
 * file's entry): hook and route scripts (`exit:1,after:5s`), stop behaviours, crashes, repeat
 * deletes and init-container completions. Failures are plain `Error`s that say what was expected;
 * the caller adds the flag or file they came from.
 *
 * @module
 */

import { parseDuration } from './durations.js';

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
export function parseCrash(text: string): { container: string; at: number; exitCode: number } {
  const match = /^([^@]+)@([^,]+)(?:,exit:(\d+))?$/.exec(text.trim());
  const at = match === null ? undefined : parseDuration(match[2] as string);
  if (match === null || at === undefined) throw new Error('expected CONTAINER@TIME[,exit:N], e.g. web@12s');
  return {
    container: match[1] as string,
    at,
    exitCode: match[3] === undefined ? 1 : integer('exit', match[3], 0, 255),
  };
}

/** Parses `15s:1` (a repeat delete at 15 s with grace 1). */
export function parseDeleteAgain(text: string): { at: number; gracePeriodSeconds: number } {
  const match = /^([^:]+):(-?\d+)$/.exec(text.trim());
  const at = match === null ? undefined : parseDuration(match[1] as string);
  if (match === null || at === undefined) throw new Error('expected TIME:GRACE, e.g. 15s:1');
  return { at, gracePeriodSeconds: Number(match[2]) };
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
