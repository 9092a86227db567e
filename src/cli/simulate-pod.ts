/**
 * `simulate` on the pod worker (issue 14 item 8, issue 15 item 6): the pod runs through
 * `LifecycleManager.startPod` on a `VirtualClock` with the testing kit's fakes, for a horizon of
 * virtual time, with scripted exits and probe results; restarts, CrashLoopBackOff waits, probe
 * kills and the pod status are recorded.
 *
 * @module
 */

import type { PodLifecycleStatus } from '../api/pod-status.js';
import type { Pod } from '../api/types.js';
import type { KubeEvent, LifecycleStep, PodTerminationResult } from '../index.js';
import { LifecycleManager } from '../index.js';
import { type AggregatedEvent, aggregateEvents } from '../pod/index.js';
import {
  FakeHttpClient,
  FakeRuntime,
  type RuntimeTimelineEntry,
  ScenarioError,
  VirtualClock,
} from '../testing/index.js';
import { checkScenario } from '../testing/scenario-check.js';
import { scriptFakes } from '../testing/scenario-fakes.js';
import { formatSeconds } from './durations.js';
import { errorMessage, usageError } from './errors.js';
import { scriptProbes } from './probe-fakes.js';
import type { SimulationScript } from './scenario.js';
import type { SimulatedContainer, SimulatedRequest } from './simulate.js';
import { toRunnerScenario } from './simulation-setup.js';

/** The default horizon: 5 minutes of virtual time (the CrashLoopBackOff cap), or less when the run is idle. */
export const DEFAULT_HORIZON_MS = 300_000;
/** The guard against something rescheduling forever within the horizon. */
const MAX_TIMERS = 100_000;

/** One container's status at one instant, as the timeline shows it. */
export interface ContainerSnapshot {
  readonly name: string;
  /** `Waiting`, `Running` or `Terminated`. */
  readonly state: 'Waiting' | 'Running' | 'Terminated';
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly restartCount: number;
  readonly ready: boolean;
}

/** The pod status at an instant where it changed (a `podStatus` event). */
export interface StatusChange {
  readonly atMs: number;
  /** How many events were emitted before this change (orders the timeline). */
  readonly eventsBefore: number;
  readonly phase: PodLifecycleStatus['phase'];
  readonly containers: readonly ContainerSnapshot[];
}

/** Everything a pod-worker simulation produced; `--json` prints it as is. Deterministic. */
export interface PodSimulationTrace {
  readonly mode: 'podWorker';
  readonly pod: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly restartPolicy: string;
    readonly terminationGracePeriodSeconds: number;
  };
  readonly containers: readonly SimulatedContainer[];
  /** The virtual-time horizon (`--for`, or the default). */
  readonly horizonMs: number;
  /** True when no `--for` was given (the run ends once idle, at most {@link DEFAULT_HORIZON_MS}). */
  readonly horizonIsDefault: boolean;
  readonly deletes: ReadonlyArray<{ readonly atMs: number; readonly gracePeriodSeconds?: number }>;
  readonly exits: ReadonlyArray<{ readonly atMs: number; readonly container: string; readonly exitCode: number }>;
  readonly events: readonly KubeEvent[];
  /** The events as `kubectl describe` lists them (spec pod §7.2). */
  readonly aggregatedEvents: readonly AggregatedEvent[];
  readonly steps: readonly LifecycleStep[];
  readonly runtime: readonly RuntimeTimelineEntry[];
  readonly http: readonly SimulatedRequest[];
  /** Every pod status change, in order. */
  readonly statusChanges: readonly StatusChange[];
  /** The pod status at the end (`podStatus`), or undefined when `startPod` failed. */
  readonly podStatus?: PodLifecycleStatus;
  readonly termination?: PodTerminationResult;
  readonly notes: readonly string[];
  readonly endMs: number;
}

/** The timeline's view of one container status. */
export function snapshotOf(status: PodLifecycleStatus['containerStatuses'][number]): ContainerSnapshot {
  const { waiting, running, terminated } = status.state;
  const base = { name: status.name, restartCount: status.restartCount, ready: status.ready };
  if (terminated !== undefined)
    return {
      ...base,
      state: 'Terminated',
      exitCode: terminated.exitCode,
      ...(terminated.reason === undefined ? {} : { reason: terminated.reason }),
      ...(terminated.message === undefined ? {} : { message: terminated.message }),
    };
  if (running !== undefined) return { ...base, state: 'Running' };
  return {
    ...base,
    state: 'Waiting',
    ...(waiting?.reason === undefined ? {} : { reason: waiting.reason }),
    ...(waiting?.message === undefined ? {} : { message: waiting.message }),
  };
}

/**
 * Runs `pod` (already prepared: defaults, UID, pod IP) through `startPod` until the horizon:
 * `scenario.forMs`, or by default until nothing is left to happen, at most
 * {@link DEFAULT_HORIZON_MS}. Scripted deletes happen at their times, and a deletion still in
 * progress at the horizon is followed to its end.
 */
export async function simulatePod(
  pod: Pod,
  scenario: SimulationScript,
  containers: readonly SimulatedContainer[],
): Promise<PodSimulationTrace> {
  const setup = toRunnerScenario(pod, scenario);
  // Only the fault plan is used here (hooks, http, stops); the runner's actions are not.
  const plan = { ...setup.scenario, actions: [{ at: 0, startAll: true as const }] };
  try {
    checkScenario(pod, plan);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    throw usageError(
      'simulate',
      `${setup.origin(error.path)}: ${error.message.slice(`scenario.${error.path}: `.length)}`,
    );
  }
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const http = new FakeHttpClient({ clock, unmatched: { status: 200 } });
  scriptFakes(pod, plan, runtime, http, clock, '1.35');
  const probeFakes = scriptProbes(pod, scenario.probes.values(), { runtime, http, clock });
  const manager = new LifecycleManager({
    runtime,
    httpClient: http,
    clock,
    policy: scenario.policy,
    kubeletVersion: '1.35',
    tcpDialer: probeFakes.tcpDialer,
    grpcHealthChecker: probeFakes.grpcHealthChecker,
  });
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  const statusChanges: StatusChange[] = [];
  const notes: string[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  manager.on('podStatus', (_pod, status) => {
    const change: StatusChange = {
      atMs: clock.now(),
      eventsBefore: events.length,
      phase: status.phase,
      containers: [...status.initContainerStatuses, ...status.containerStatuses].map(snapshotOf),
    };
    const last = statusChanges.at(-1);
    const same = (c: StatusChange): string => JSON.stringify([c.phase, c.containers]);
    if (last !== undefined && same(last) === same(change)) return;
    statusChanges.push(change);
  });

  // Scripted exits (and --crash): the main process exits by itself at that instant.
  const exits = [
    ...scenario.exits.map((e) => ({ ...e, label: `--exit ${e.text}` })),
    ...scenario.crashes.map((c) => ({
      ...c,
      label: `--crash ${c.container}@${formatSeconds(c.atMs)}`,
    })),
  ].sort((a, b) => a.atMs - b.atMs);
  const happened: Array<{ atMs: number; container: string; exitCode: number }> = [];
  for (const exit of exits) {
    clock.setTimeout(() => {
      const instance = runtime.container(exit.container);
      if (instance?.state !== 'running') {
        notes.push(`${exit.label} ignored: ${exit.container} was not running at ${formatSeconds(exit.atMs)}`);
        return;
      }
      happened.push({ atMs: clock.now(), container: exit.container, exitCode: exit.exitCode });
      runtime.crash(exit.container, { exitCode: exit.exitCode });
    }, exit.atMs);
  }

  let startError: unknown;
  manager.startPod(pod).catch((error: unknown) => {
    startError = error;
  });

  // Scripted deletes.
  const deletes: Array<{ atMs: number; gracePeriodSeconds?: number }> = [];
  const deletions: Array<Promise<void>> = [];
  let termination: PodTerminationResult | undefined;
  let deletesPending = 0;
  const scheduleDelete = (atMs: number, gracePeriodSeconds: number | undefined): void => {
    deletesPending++;
    clock.setTimeout(() => {
      deletes.push({ atMs: clock.now(), ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }) });
      deletions.push(
        manager
          .deletePod(pod, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds })
          .then(
            (result) => {
              termination = result;
            },
            (error: unknown) => {
              notes.push(`deletePod failed: ${errorMessage(error).split('\n')[0]}`);
            },
          )
          .finally(() => {
            deletesPending--;
          }),
      );
    }, atMs);
  };
  if (scenario.deleteAtMs !== undefined) scheduleDelete(scenario.deleteAtMs, scenario.gracePeriodSeconds);
  for (const again of scenario.deleteAgain) scheduleDelete(again.atMs, again.gracePeriodSeconds);

  const horizonMs = scenario.forMs ?? DEFAULT_HORIZON_MS;
  let fired = 0;
  let guard = false;
  for (;;) {
    await clock.flush();
    const head = clock.pendingTimerList()[0];
    const deleting = deletesPending > 0;
    if (head === undefined || head.deadlineMs === Infinity) break;
    if (head.deadlineMs > horizonMs && !deleting) break;
    if (fired >= MAX_TIMERS) {
      guard = true;
      break;
    }
    await clock.next();
    fired++;
  }
  // With an explicit --for, the run ends at the horizon (Age is measured there).
  if (scenario.forMs !== undefined && clock.now() < horizonMs) await clock.advanceTo(horizonMs);
  await clock.flush();

  for (const exit of exits)
    if (exit.atMs > clock.now())
      notes.push(`${exit.label} not reached: the simulation ended at ${formatSeconds(clock.now())} (use --for)`);
  // Said plainly rather than printing a run that silently ignored the script.
  for (const [scripted, count] of probeFakes.calls)
    if (count === 0)
      notes.push(
        `--probe ${scripted.text} had no effect: the ${scripted.probe} probe never ran before the simulation ended (its first tick comes one periodSeconds after the pod started, later with initialDelaySeconds)`,
      );
  if (startError !== undefined) notes.push(`startPod failed: ${errorMessage(startError).split('\n')[0]}`);
  if (guard) notes.push(`simulation stopped at ${formatSeconds(clock.now())}: more than ${MAX_TIMERS} timers`);
  if (deletesPending > 0) notes.push('the pod is stuck Terminating at the end of the simulation');
  let podStatus: PodLifecycleStatus | undefined;
  try {
    podStatus = manager.podStatus(pod);
  } catch {
    podStatus = undefined;
  }
  return {
    mode: 'podWorker',
    pod: {
      name: pod.metadata?.name ?? '',
      namespace: pod.metadata?.namespace ?? 'default',
      uid: pod.metadata?.uid ?? '',
      restartPolicy: pod.spec?.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
    },
    containers,
    horizonMs,
    horizonIsDefault: scenario.forMs === undefined,
    deletes,
    exits: happened,
    events,
    aggregatedEvents: aggregateEvents(events),
    steps,
    runtime: runtime.timeline,
    http: http.requests.map((r) => ({
      atMs: r.atMs,
      method: r.request.method,
      url: r.request.url,
      headers: r.request.headers,
      ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
    })),
    statusChanges,
    ...(podStatus === undefined ? {} : { podStatus }),
    ...(termination === undefined ? {} : { termination }),
    notes,
    endMs: clock.now(),
  };
}
