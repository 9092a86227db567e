/**
 * The declarative scenario `runScenario` plays against a pod: plain data (JSON/YAML-friendly),
 * no functions, no Error objects. Times are virtual milliseconds from the start of the run.
 *
 * @module
 */

import type { LifecyclePolicy } from '../container/policy.js';
import type { KillReason } from '../grace/kill-grace.js';

/**
 * Start one container at `at` ms (`manager.startContainer`).
 * @example { at: 0, start: 'web' }
 */
export interface StartAction {
  /** Virtual time of the action, in ms. @default 0 */
  readonly at?: number | undefined;
  /** Instead of `at`: run when the action at this (earlier) index settles. See {@link ActionTiming}. */
  readonly after?: number | undefined;
  /** Container name (init, sidecar or regular). */
  readonly start: string;
}

/**
 * Start the whole pod as the kubelet does (spec §3.2): init containers and sidecars in order, each
 * awaited (an init container also until it exits, see {@link Scenario.init}); then the regular
 * containers one after the other. Stops early when an init container or a sidecar fails, and
 * starts nothing once the pod is being deleted (both become `notes`).
 * @example { at: 0, startAll: true }
 */
export interface StartAllAction {
  readonly at?: number | undefined;
  readonly after?: number | undefined;
  readonly startAll: true;
}

/**
 * Kill one container (`manager.stopContainer`).
 * @example { at: 5_000, stop: 'web', gracePeriodOverride: 10, reason: 'LivenessProbe' }
 */
export interface StopAction {
  readonly at?: number | undefined;
  readonly after?: number | undefined;
  readonly stop: string;
  /** Replaces the base grace (integer seconds ≥ 0). */
  readonly gracePeriodOverride?: number | undefined;
  /** Why it is killed; selects probe-level grace. @default 'Unknown' */
  readonly reason?: KillReason | undefined;
}

/**
 * Make the container's main process exit by itself (`FakeRuntime.crash`); the runner tells the
 * manager. Ignored, with a note, when the container is not running at that time.
 * @example { at: 12_000, crash: 'web', exitCode: 137 }
 */
export interface CrashAction {
  readonly at?: number | undefined;
  readonly after?: number | undefined;
  readonly crash: string;
  /** @default 1 */
  readonly exitCode?: number | undefined;
}

/**
 * Delete the pod (`manager.deletePod`); a second delete can only shorten the grace.
 * @example { at: 10_000, delete: true, gracePeriodSeconds: 5 }
 */
export interface DeleteAction {
  readonly at?: number | undefined;
  readonly after?: number | undefined;
  readonly delete: true;
  /** `DeleteOptions.gracePeriodSeconds`. @default the pod's terminationGracePeriodSeconds */
  readonly gracePeriodSeconds?: number | undefined;
}

/**
 * When an action runs: `at` a virtual time (ms, default 0), or `after` an earlier action (by
 * index) has settled, at whatever time that is: e.g. delete the pod once `startAll` is done.
 * An action whose `after` never settles stays `pending`.
 * @example [{ startAll: true }, { after: 0, delete: true }]
 */
export interface ActionTiming {
  readonly at?: number | undefined;
  readonly after?: number | undefined;
}

/** One step of a scenario; exactly one of `start`, `startAll`, `stop`, `crash`, `delete`. */
export type ScenarioAction = StartAction | StartAllAction | StopAction | CrashAction | DeleteAction;

/** The kinds of {@link ScenarioAction}. */
export type ScenarioActionKind = 'start' | 'startAll' | 'stop' | 'crash' | 'delete';

/**
 * How a scripted exec behaves (an exec hook, or any exec matched by argv). `delayMs` waits on the
 * virtual clock first. Exactly one outcome: an exit code (default 0), `hang`, `reject` (the exec
 * call rejects with an Error of that message), or `throw` (the adapter throws synchronously).
 * @example { exitCode: 1, stderr: 'connection refused', delayMs: 2_000 }
 */
export interface ExecFault {
  readonly exitCode?: number | undefined;
  readonly stdout?: string | undefined;
  readonly stderr?: string | undefined;
  readonly delayMs?: number | undefined;
  readonly hang?: true | undefined;
  readonly reject?: string | undefined;
  readonly throw?: string | undefined;
  /** Apply this many times, then fall through (later scripts, then the default). @default every time */
  readonly times?: number | undefined;
}

/**
 * How a scripted HTTP request is answered (an httpGet hook, or any request matched by route).
 * Exactly one outcome: a `status` (default 200, with `headers`, e.g. `location` for a redirect),
 * `hang`, `error` (rejects with an Error of that message and `errorCode`, e.g. `ECONNREFUSED`),
 * `refuse` (a closed port: rejects with `ECONNREFUSED` and Go's dial error naming the request,
 * `Get "<url>": dial tcp <host>:<port>: connect: connection refused`), or `plainHttp` (the port
 * speaks plain HTTP: an `https:` request fails with `HTTP_RESPONSE_TO_HTTPS_CLIENT`).
 * @example { status: 500, delayMs: 2_000 }
 * @example { refuse: true } // whatever URL the route matched
 */
export interface HttpFault {
  readonly status?: number | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly delayMs?: number | undefined;
  readonly hang?: true | undefined;
  readonly error?: string | undefined;
  readonly errorCode?: string | undefined;
  /** Refuse the connection, with the message for the URL actually requested. */
  readonly refuse?: true | undefined;
  readonly plainHttp?: true | undefined;
  readonly times?: number | undefined;
}

/**
 * How a container's main process reacts to its stop signal. SIGKILL always ends it (exit 137).
 * @example { ignoreSigterm: true }           // only SIGKILL ends it
 * @example { exitDelayMs: 4_000, exitCode: 0 } // drains for 4 s, exits cleanly
 */
export interface StopFault {
  /** Ignore every signal but SIGKILL (same as `exitsOn: []`). @default false */
  readonly ignoreSigterm?: boolean | undefined;
  /** Signals that make it exit. @default every signal */
  readonly exitsOn?: readonly string[] | undefined;
  /** Time from the signal to the exit, in ms. @default 0 */
  readonly exitDelayMs?: number | undefined;
  /** Exit code of a signal-initiated exit. @default 128 + signal number (143 for SIGTERM) */
  readonly exitCode?: number | undefined;
  /** The runtime's stop call rejects with an Error of this message; nothing is signalled. */
  readonly reject?: string | undefined;
  readonly times?: number | undefined;
}

/**
 * How the runtime's start of a container behaves.
 * @example { reject: 'image pull back-off', times: 1 } // fails once, starts on the retry
 */
export interface StartFault {
  readonly delayMs?: number | undefined;
  readonly reject?: string | undefined;
  readonly throw?: string | undefined;
  readonly hang?: true | undefined;
  readonly times?: number | undefined;
}

/**
 * When a (non-sidecar) init container completes, counted from its start, under `startAll`.
 * @example { exitAfterMs: 3_000 } // the migration takes 3 s
 */
export interface InitPlan {
  /** @default 0 */
  readonly exitAfterMs?: number | undefined;
  /** Non-zero stops `startAll` there. @default 0 */
  readonly exitCode?: number | undefined;
}

/** Scripted hooks and faults of a scenario (the part a fault-plan arbitrary generates). */
export interface FaultPlan {
  /**
   * By `"<container>.postStart"` / `"<container>.preStop"`: an {@link ExecFault} for an exec hook,
   * an {@link HttpFault} for an httpGet hook (sleep hooks run in the kubelet: not scriptable).
   * Exec hooks are matched by container and argv, so when a container's postStart and preStop
   * run the very same argv, the postStart script (added first) answers both.
   */
  readonly hooks?: Readonly<Record<string, ExecFault | HttpFault>> | undefined;
  /** By argv joined with single spaces (`"/bin/drain --fast"`), tried after `hooks`. */
  readonly exec?: Readonly<Record<string, ExecFault>> | undefined;
  /**
   * By route, tried in key order after `hooks`: `/path` (any host), `host` or `host:port`, or a
   * whole URL (`FakeHttpClient` matchers). Unmatched requests get 200.
   */
  readonly http?: Readonly<Record<string, HttpFault>> | undefined;
  /** By container name. */
  readonly stops?: Readonly<Record<string, StopFault>> | undefined;
  /** By container name. */
  readonly starts?: Readonly<Record<string, StartFault>> | undefined;
  /** By init container name (non-sidecar). */
  readonly init?: Readonly<Record<string, InitPlan>> | undefined;
}

/**
 * A declarative scenario: what happens when, which hooks and adapters misbehave, and when to stop.
 *
 * @example
 * ```ts
 * const scenario: Scenario = {
 *   actions: [{ at: 0, startAll: true }, { at: 10_000, delete: true, gracePeriodSeconds: 30 }],
 *   hooks: { 'web.preStop': { exitCode: 0, delayMs: 8_000 } },
 *   stops: { web: { ignoreSigterm: true } },
 * };
 * ```
 */
export interface Scenario extends FaultPlan {
  readonly actions: readonly ScenarioAction[];
  /** Named deviations from Kubernetes, as `LifecycleManagerOptions.policy`. */
  readonly policy?: LifecyclePolicy | undefined;
  /** `major.minor` of the kubelet reproduced. @default '1.35' */
  readonly kubeletVersion?: string | undefined;
  /**
   * End the run at this virtual time (ms), whatever is still pending. Every action must be at or
   * before it. @default run until no timer is left
   */
  readonly until?: number | undefined;
  /** Guard against endless rescheduling when `until` is not given. @default 100_000 */
  readonly maxTimers?: number | undefined;
}
