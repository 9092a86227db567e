import {
  LifecycleManager, aggregateMessage, applyDefaults, validatePod, type ContainerStatus, type KubeEvent, type LifecycleStep,
  type Pod, type PodTerminationResult, type StartResult,
} from '../index.js';
import { FakeHttpClient, FakeRuntime, VirtualClock } from '../testing/index.js';
import { formatSeconds } from './durations.js';
import { CliError, ExitCode, errorMessage } from './errors.js';
import type { Scenario } from './scenario.js';
import { SIMULATED_KUBELET_VERSION, SIMULATED_POD_IP, containersInOrder, describeHandler, scriptFakes } from './simulation-setup.js';

/** A container of the simulated pod, with its hooks described. */
export interface SimulatedContainer {
  readonly name: string;
  readonly kind: 'init' | 'sidecar' | 'container';
  readonly postStart?: string;
  readonly preStop?: string;
  readonly stopSignal?: string;
}

/** One HTTP request the simulated kubelet sent. */
export interface SimulatedRequest {
  readonly atMs: number;
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly outcome?: { readonly status: number } | { readonly error: string };
}

/** Everything a simulation produced; `--json` prints it as is. Deterministic for a given input. */
export interface SimulationTrace {
  readonly pod: { readonly name: string; readonly namespace: string; readonly uid: string; readonly terminationGracePeriodSeconds: number };
  readonly containers: readonly SimulatedContainer[];
  readonly deletes: ReadonlyArray<{ readonly atMs: number; readonly gracePeriodSeconds?: number }>;
  readonly events: readonly KubeEvent[];
  readonly steps: readonly LifecycleStep[];
  readonly runtime: FakeRuntime['timeline'];
  readonly http: readonly SimulatedRequest[];
  readonly starts: readonly StartResult[];
  readonly termination?: PodTerminationResult;
  readonly statuses: Readonly<Record<string, ContainerStatus>>;
  /** Things a reader should know: a container never started, a stuck pod, an ignored crash. */
  readonly notes: readonly string[];
  /** Virtual time at which the simulation ended. */
  readonly endMs: number;
}

const MAX_VIRTUAL_MS = 24 * 3600_000;
const MAX_TIMERS = 100_000;

/** Gives the pod what a cluster would: defaults, a namespace, a UID and a pod IP. */
export function preparePod(input: unknown, policy: { allowZeroSleep?: boolean }): Pod {
  const errors = validatePod(input, policy.allowZeroSleep === undefined ? {} : { allowZeroSleep: policy.allowZeroSleep });
  if (errors.length > 0) {
    const name = String((input as { metadata?: { name?: unknown } }).metadata?.name ?? '');
    throw new CliError(`${aggregateMessage(name, errors)} (run 'kube-lifecycle validate' for the list)`, { exitCode: ExitCode.invalid });
  }
  const pod = applyDefaults(input as Pod);
  const name = pod.metadata?.name ?? 'pod';
  return {
    ...pod,
    metadata: { ...pod.metadata, name, namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata?.uid ?? `sim-${name}` },
    status: pod.status?.podIP !== undefined || (pod.status?.podIPs?.length ?? 0) > 0 ? { ...pod.status } : { ...pod.status, podIP: SIMULATED_POD_IP },
  };
}

/**
 * Runs the pod in virtual time on the testing kit (VirtualClock, FakeRuntime, FakeHttpClient):
 * starts every container in order (init containers and sidecars first), deletes the pod when the
 * scenario says (default: once every container is running), and records everything.
 */
export async function simulate(input: unknown, scenario: Scenario): Promise<SimulationTrace> {
  const pod = preparePod(input, scenario.policy);
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const http = new FakeHttpClient({ clock, unmatched: { status: 200 } });
  scriptFakes(pod, scenario, runtime, http, clock);
  let manager: LifecycleManager;
  try {
    manager = new LifecycleManager({ runtime, httpClient: http, clock, policy: scenario.policy, kubeletVersion: SIMULATED_KUBELET_VERSION });
  } catch (error) {
    throw new CliError(`cannot create the manager: ${errorMessage(error)}`);
  }
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  const notes: string[] = [];
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  const exitWaiters = new Map<string, () => void>();
  runtime.onExit((ref, info) => {
    manager.notifyExited(pod, ref.name, { exitCode: info.exitCode });
    exitWaiters.get(ref.id)?.();
  });

  const order = containersInOrder(pod);
  const starts: StartResult[] = [];
  const deletes: Array<{ atMs: number; gracePeriodSeconds?: number }> = [];
  const deletions: Array<Promise<PodTerminationResult>> = [];
  let termination: PodTerminationResult | undefined;
  let isDeleting = false;
  let pendingActions = 0;

  const deletePod = (gracePeriodSeconds: number | undefined): void => {
    isDeleting = true;
    deletes.push({ atMs: clock.now(), ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }) });
    const promise = manager.deletePod(pod, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds });
    deletions.push(promise);
    void promise.then((result) => (termination = result), (error: unknown) => notes.push(`deletePod failed: ${errorMessage(error)}`));
  };
  const at = (ms: number, action: () => void): void => {
    pendingActions++;
    clock.setTimeout(() => {
      pendingActions--;
      action();
    }, ms);
  };

  const startAll = async (): Promise<void> => {
    for (const { container, kind } of order) {
      if (isDeleting) {
        notes.push(`${container.name} was not started: the pod was already terminating`);
        continue;
      }
      const result = await manager.startContainer(pod, container.name);
      starts.push(result);
      if (kind === 'container') continue;
      if (result.outcome !== 'running') {
        notes.push(`${kind} container ${container.name} did not become Running (${result.outcome}); later containers were not started (the kubelet would restart it with back-off; restarts are not simulated)`);
        return;
      }
      if (kind === 'init') {
        const plan = scenario.init.get(container.name) ?? { afterMs: 0, exitCode: 0 };
        const id = result.containerID as string;
        const exited = new Promise<void>((resolve) => exitWaiters.set(id, resolve));
        runtime.crash(id, { exitCode: plan.exitCode, afterMs: plan.afterMs });
        await exited;
        if (plan.exitCode !== 0) {
          notes.push(`init container ${container.name} failed (exit ${plan.exitCode}); later containers were not started`);
          return;
        }
      }
    }
  };
  let startsSettled = false;
  const started = startAll().then(
    () => void (startsSettled = true),
    (error: unknown) => {
      startsSettled = true;
      notes.push(`starting failed: ${errorMessage(error)}`);
    },
  );

  if (scenario.deleteAtMs !== undefined) at(scenario.deleteAtMs, () => deletePod(scenario.gracePeriodSeconds));
  else void started.then(() => deletePod(scenario.gracePeriodSeconds));
  for (const again of scenario.deleteAgain) at(again.atMs, () => deletePod(again.gracePeriodSeconds));
  for (const crash of scenario.crashes) {
    at(crash.atMs, () => {
      const state = runtime.container(crash.container);
      if (state?.state !== 'running') {
        notes.push(`--crash ${crash.container}@${formatSeconds(crash.atMs)} ignored: the container was not running then`);
        return;
      }
      runtime.crash(state.ref.id, { exitCode: crash.exitCode });
    });
  }

  const deletionsSettled = (): boolean => termination !== undefined || notes.some((n) => n.startsWith('deletePod failed'));
  const isDone = (): boolean => startsSettled && pendingActions === 0 && deletes.length > 0 && deletionsSettled();
  await driveClock(clock, isDone, notes);
  if (!isDone()) {
    describeStuck(notes, { startsSettled, deleted: deletes.length > 0, deletionSettled: deletionsSettled(), order: order.map((o) => o.container.name), starts });
  }

  const statuses: Record<string, ContainerStatus> = {};
  for (const { container } of order) statuses[container.name] = manager.status(pod, container.name);
  return {
    pod: {
      name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata?.uid ?? '',
      terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
    },
    containers: order.map(({ container, kind }) => ({
      name: container.name,
      kind,
      ...(container.lifecycle?.postStart ? { postStart: describeHandler(container.lifecycle.postStart, container, pod) } : {}),
      ...(container.lifecycle?.preStop ? { preStop: describeHandler(container.lifecycle.preStop, container, pod) } : {}),
      ...(container.lifecycle?.stopSignal ? { stopSignal: container.lifecycle.stopSignal } : {}),
    })),
    deletes, events, steps, runtime: runtime.timeline,
    http: http.requests.map((r) => ({
      atMs: r.atMs, method: r.request.method, url: r.request.url, headers: r.request.headers, ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
    })),
    starts, ...(termination === undefined ? {} : { termination }), statuses, notes, endMs: clock.now(),
  };
}

/** Fires timers one by one until `isDone`, nothing is left to fire, or the safety limits. */
async function driveClock(clock: VirtualClock, isDone: () => boolean, notes: string[]): Promise<void> {
  let fired = 0;
  let idle = 0;
  while (!isDone()) {
    if (fired >= MAX_TIMERS || clock.now() > MAX_VIRTUAL_MS) {
      notes.push(`simulation stopped at ${formatSeconds(clock.now())}: more than ${MAX_TIMERS} timers or 24 h of virtual time`);
      return;
    }
    if (await clock.next()) {
      fired++;
      idle = 0;
      continue;
    }
    await clock.flush();
    if (++idle >= 5) return; // nothing armed and nothing settling: stuck
  }
}

function describeStuck(
  notes: string[],
  state: { startsSettled: boolean; deleted: boolean; deletionSettled: boolean; order: readonly string[]; starts: readonly StartResult[] },
): void {
  if (!state.startsSettled) {
    const pending = state.order[state.starts.length] ?? '?';
    notes.push(
      `${pending} never finished starting: its postStart is still running and the kubelet sets no timeout (spec §3.3, k/k#116032); ` +
        'the pod stays ContainerCreating, and a delete waits behind it (spec §3.7). Try --policy postStartTimeoutSeconds=10',
    );
  }
  if (!state.deleted) notes.push('the pod was never deleted: the default delete comes once every container is running; use --delete-at');
  else if (!state.deletionSettled) notes.push('the pod is stuck Terminating: the delete waits for the start sequence to finish (spec §3.7)');
}
