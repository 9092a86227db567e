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
import { aggregateEvents } from '../pod/index.js';
import { FakeHttpClient, FakeRuntime, type PendingTimer, ScenarioError, VirtualClock } from '../testing/index.js';
import { checkScenario } from '../testing/scenario-check.js';
import { scriptFakes } from '../testing/scenario-fakes.js';
import { formatSeconds } from './durations.js';
import { errorMessage, usageError } from './errors.js';
import { scriptProbes } from './probe-fakes.js';
import type { SimulationScript } from './scenario.js';
import type { SimulatedContainer } from './simulate.js';
import { toRunnerScenario } from './simulation-setup.js';
import { type PodSimulationTrace, type StatusChange, snapshotOf } from './simulation-trace.js';

export type { ContainerSnapshot, PodSimulationTrace, StatusChange } from './simulation-trace.js';

/** The default horizon: 5 minutes of virtual time (the CrashLoopBackOff cap), or less when the run is idle. */
export const DEFAULT_HORIZON_MS = 300_000;
/** The label of the timers of scripted deletes. */
const SCRIPTED_DELETE = 'scripted delete';
/** The guard against something rescheduling forever within the horizon. */
const MAX_TIMERS = 100_000;

/**
 * A regular init container runs its job and exits: `--init NAME=exit-after:3s,exit-code:1`
 * (default: at once, code 0), on every run, its timer cleared when it exits first.
 */
function completeInitContainers(
  manager: LifecycleManager,
  runtime: FakeRuntime,
  clock: VirtualClock,
  names: readonly string[],
  plans: Readonly<
    Record<string, { readonly exitAfterMs?: number | undefined; readonly exitCode?: number | undefined }>
  >,
): void {
  const timers = new Map<string, unknown>();
  manager.on('step', (step) => {
    if (step.kind === 'exited' || step.kind === 'killing') clock.clearTimeout(timers.get(step.container));
    if (step.kind !== 'running' || !names.includes(step.container)) return;
    const plan = plans[step.container] ?? {};
    const handle = clock.setTimeout(
      () => {
        if (runtime.container(step.container)?.state === 'running')
          runtime.crash(step.container, { exitCode: plan.exitCode ?? 0 });
      },
      plan.exitAfterMs ?? 0,
      `init ${step.container} completes`,
    );
    timers.set(step.container, handle);
  });
}

/** The pod still runs (not Succeeded/Failed, `startPod` did not fail). */
function isLive(manager: LifecycleManager, pod: Pod): boolean {
  try {
    const { phase } = manager.podStatus(pod);
    return phase === 'Pending' || phase === 'Running';
  } catch {
    return false;
  }
}

/** Containers whose last postStart began and never finished (a hung hook, spec §3.3). */
function unfinishedStarts(steps: readonly LifecycleStep[]): string[] {
  const open = new Set<string>();
  for (const s of steps) {
    if (s.kind === 'postStartStarted') open.add(s.container);
    else if (s.kind === 'postStartFinished') open.delete(s.container);
  }
  return [...open];
}

/**
 * Runs `pod` (already prepared: defaults, UID, pod IP) through `startPod` until the horizon:
 * `scenario.forMs`, or by default until nothing is left to happen, at most
 * {@link DEFAULT_HORIZON_MS}, then deletes it (see the loop). Scripted deletes happen at their
 * times, and a deletion still in progress at the horizon is followed to its end.
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
    checkScenario(pod, setup.scenario); // crashes and deletes too, named by their flags
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
  const initNames = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy !== 'Always').map((c) => c.name);
  completeInitContainers(manager, runtime, clock, initNames, plan.init ?? {});
  manager.on('podStatus', (_pod, status) => {
    const change: StatusChange = {
      at: clock.now(),
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
      label: `--crash ${c.container}@${formatSeconds(c.at)}`,
    })),
  ].sort((a, b) => a.at - b.at);
  const happened: Array<PodSimulationTrace['exits'][number]> = [];
  for (const exit of exits) {
    clock.setTimeout(() => {
      const instance = runtime.container(exit.container);
      if (instance?.state !== 'running') {
        notes.push(`${exit.label} ignored: ${exit.container} was not running at ${formatSeconds(exit.at)}`);
        return;
      }
      happened.push({ at: clock.now(), atMs: clock.now(), container: exit.container, exitCode: exit.exitCode });
      runtime.crash(exit.container, { exitCode: exit.exitCode });
    }, exit.at);
  }

  let startError: unknown;
  manager.startPod(pod).catch((error: unknown) => {
    startError = error;
  });

  // Scripted deletes.
  const deletes: Array<PodSimulationTrace['deletes'][number]> = [];
  const deletions: Array<Promise<void>> = [];
  let termination: PodTerminationResult | undefined;
  let deletesPending = 0;
  const scheduleDelete = (at: number, gracePeriodSeconds: number | undefined): void => {
    deletesPending++;
    clock.setTimeout(
      () => {
        const grace = gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds };
        deletes.push({ at: clock.now(), atMs: clock.now(), ...grace });
        deletions.push(
          manager
            .deletePod(pod, grace)
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
      },
      Math.max(0, at - clock.now()),
      SCRIPTED_DELETE,
    );
  };
  if (scenario.deleteAt !== undefined) scheduleDelete(scenario.deleteAt, scenario.gracePeriodSeconds);
  for (const again of scenario.deleteAgain) scheduleDelete(again.at, again.gracePeriodSeconds);

  const horizonMs = scenario.forMs ?? DEFAULT_HORIZON_MS;
  // Without --delete-at and --for, the pod is deleted once nothing is left to happen (every start
  // settled, the scripted exits done), or at the default horizon: `kubectl delete pod` after the
  // scene, so preStop and the grace period show; a pod that completed by itself is not deleted.
  let defaultDelete = scenario.deleteAt === undefined && scenario.forMs === undefined;
  let fired = 0;
  let guard = false;
  const isIdle = (head: PendingTimer | undefined): boolean =>
    head === undefined || head.deadlineAt === Infinity || (head.deadlineAt > horizonMs && deletesPending === 0);
  for (;;) {
    await clock.flush();
    const pending = clock.pendingTimerList();
    // The default delete comes before any --delete-again (a repeat of it).
    const work = pending.find((t) => t.label !== SCRIPTED_DELETE);
    if (defaultDelete && isIdle(work) && isLive(manager, pod)) {
      defaultDelete = false;
      if (work !== undefined && work.deadlineAt !== Infinity) await clock.advanceTo(horizonMs);
      scheduleDelete(clock.now(), scenario.gracePeriodSeconds);
      continue;
    }
    const head = pending[0];
    if (isIdle(head)) break;
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
    if (exit.at > clock.now())
      notes.push(`${exit.label} not reached: the simulation ended at ${formatSeconds(clock.now())} (use --for)`);
  // Said plainly rather than printing a run that silently ignored the script.
  for (const [scripted, count] of probeFakes.calls)
    if (count === 0)
      notes.push(
        `--probe ${scripted.text} had no effect: the ${scripted.probe} probe never ran before the simulation ended (its first tick comes one periodSeconds after the pod started, later with initialDelaySeconds)`,
      );
  if (startError !== undefined) notes.push(`startPod failed: ${errorMessage(startError).split('\n')[0]}`);
  if (guard) notes.push(`simulation stopped at ${formatSeconds(clock.now())}: more than ${MAX_TIMERS} timers`);
  // A postStart still running with no timer left that could end it is hung (not just cut by --for).
  const stalled = !clock.pendingTimerList().some((t) => t.deadlineAt !== Infinity);
  for (const name of stalled ? unfinishedStarts(steps) : [])
    notes.push(
      `${name} never finished starting: its postStart is still running and the kubelet sets no timeout (spec §3.3, k/k#116032); ` +
        'the container stays Waiting, and a delete waits behind it (spec §3.7). Try --policy postStartTimeoutSeconds=10',
    );
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
      at: r.at,
      atMs: r.at,
      method: r.request.method,
      url: r.request.url,
      headers: r.request.headers,
      ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
    })),
    statusChanges,
    ...(podStatus === undefined ? {} : { podStatus }),
    ...(termination === undefined ? {} : { termination }),
    notes,
    endAt: clock.now(),
    endMs: clock.now(),
  };
}
