import type { ContainerRef, ExecResult } from '../ports/runtime.js';

/**
 * Which exec calls a script applies to: the exact argv array, the argv joined by single spaces,
 * a RegExp tested against that joined string, or a predicate.
 *
 * @example
 * ```ts
 * runtime.onExec(['/bin/drain', '--fast'], { exitCode: 0 });
 * runtime.onExec('/bin/drain --fast', { exitCode: 0 });
 * runtime.onExec(/^\/bin\/drain/, { exitCode: 0 });
 * runtime.onExec((argv, ref) => ref.name === 'web', { exitCode: 0 });
 * ```
 */
export type ExecMatcher =
  | readonly string[]
  | string
  | RegExp
  | ((argv: readonly string[], ref: ContainerRef) => boolean);

/** What a scripted function behaviour receives. */
export interface ExecCall {
  readonly argv: readonly string[];
  readonly ref: ContainerRef;
  readonly signal: AbortSignal;
  /** The virtual instant of the call. */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
  readonly atMs: number;
}

/**
 * How a matched exec behaves. `delayMs` waits on the runtime's clock first (abortable).
 * - `{ exitCode, stdout?, stderr? }`: resolve with that result.
 * - `{ reject: error }`: reject with exactly that value.
 * - `{ throw: error }`: throw synchronously from `exec` (an adapter bug the core must survive).
 * - `{ hang: true }`: never settle, except through the abort signal or the container exiting.
 * - `{ malformed: value }`: resolve with a value that is not an `ExecResult` (fault tests).
 * - a function: computes the result (e.g. echo the argv); may be async.
 */
export type ExecScript =
  | (ExecResult & { readonly delayMs?: number })
  | { readonly reject: unknown; readonly delayMs?: number }
  | { readonly throw: unknown }
  | { readonly hang: true }
  | { readonly malformed: unknown; readonly delayMs?: number }
  | ((call: ExecCall) => ExecResult | Promise<ExecResult>);

/**
 * How `startContainer` behaves for a container name. `delayMs` waits on the clock first.
 * - `{}` or `{ delayMs }`: start (after the delay).
 * - `{ reject: error }` / `{ throw: error }` (synchronous) / `{ hang: true }` (until aborted).
 */
export type StartScript =
  | { readonly delayMs?: number }
  | { readonly reject: unknown; readonly delayMs?: number }
  | { readonly throw: unknown }
  | { readonly hang: true };

/**
 * How the main process of a container reacts to signals sent by `stopContainer`.
 * SIGKILL always ends it at once with exit code 137.
 *
 * @example
 * ```ts
 * runtime.onStop('web', { exitDelayMs: 3_000 });      // exits 3 s after the stop signal
 * runtime.onStop('web', { exitsOn: [] });             // ignores SIGTERM: only SIGKILL ends it
 * runtime.onStop('web', { exitsOn: ['SIGQUIT'] });    // handles SIGQUIT only
 * runtime.onStop('web', { reject: new Error('rpc error: code = Unavailable') });
 * ```
 */
export interface StopScript {
  /** Signals that make the process exit. @default every signal */
  readonly exitsOn?: readonly string[] | undefined;
  /** Time from the signal to the exit. @default 0 */
  readonly exitDelayMs?: number | undefined;
  /** Exit code of a signal-initiated exit. @default 128 + the signal number (143 for SIGTERM) */
  readonly exitCode?: number | undefined;
  /** The `stopContainer` call itself rejects with this value; nothing is signalled. */
  readonly reject?: unknown;
}

/** Options shared by the `on*` script methods. */
export interface ScriptOptions {
  /** Apply only to containers of this pod (metadata.name). @default any pod */
  readonly podName?: string | undefined;
  /** Apply this many times, then fall through to later scripts. @default Infinity */
  readonly times?: number | undefined;
}

/** One entry of {@link FakeRuntime.timeline}: what happened, when, to which container. */
export interface RuntimeTimelineEntry {
  readonly kind:
    | 'start'
    | 'started'
    | 'start-failed'
    | 'exec'
    | 'exec-result'
    | 'exec-failed'
    | 'stop'
    | 'signal'
    | 'stopped'
    | 'stop-failed'
    | 'exit';
  /** The instant on the runtime's clock. */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
  readonly atMs: number;
  readonly podName: string;
  /** Container name. */
  readonly container: string;
  /** Container id (absent for 'start' and 'start-failed'). */
  readonly containerId?: string;
  readonly argv?: readonly string[];
  /** 'signal': the signal delivered; 'stop': the stop signal requested (undefined = default). */
  readonly signal?: string;
  readonly timeoutSeconds?: number;
  readonly exitCode?: number;
  /** 'exit': why the main process exited. */
  readonly reason?: 'crash' | 'signal';
  /** '*-failed': the error message. */
  readonly error?: string;
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

/** Exit code of a process ended by `signal` (128 + number; 128 when the number is not known). */
export function signalExitCode(signal: string): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 0);
}

/** Whether `matcher` selects `argv` in container `ref`. */
export function matchesExec(matcher: ExecMatcher, argv: readonly string[], ref: ContainerRef): boolean {
  if (typeof matcher === 'function') return matcher(argv, ref);
  if (typeof matcher === 'string') return argv.join(' ') === matcher;
  if (matcher instanceof RegExp) {
    matcher.lastIndex = 0;
    return matcher.test(argv.join(' '));
  }
  return matcher.length === argv.length && matcher.every((arg, i) => arg === argv[i]);
}

/** Renders a matcher for messages. */
export function describeMatcher(matcher: ExecMatcher): string {
  if (typeof matcher === 'function') return 'a predicate';
  if (typeof matcher === 'string') return JSON.stringify(matcher);
  if (matcher instanceof RegExp) return String(matcher);
  return JSON.stringify(matcher);
}

/** A script with its selector and remaining uses (internal). */
export interface Scripted<S> {
  readonly match: (name: string, pod: string) => boolean;
  readonly script: S;
  left: number;
  readonly label: string;
}

/** Wraps a per-container script (internal). */
export function scripted<S>(containerName: string, script: S, options: ScriptOptions): Scripted<S> {
  const { podName, times = Infinity } = options;
  const match = (name: string, pod: string): boolean =>
    name === containerName && (podName === undefined || podName === pod);
  return { match, script, left: times, label: containerName };
}

/** The first script for this container that has uses left, consuming one use (internal). */
export function take<S>(scripts: Array<Scripted<S>>, name: string, pod: string): S | undefined {
  const found = scripts.find((s) => s.left > 0 && s.match(name, pod));
  if (found === undefined) return undefined;
  found.left--;
  return found.script;
}
