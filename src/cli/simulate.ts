import {
  aggregateMessage,
  applyDefaults,
  type ContainerStatus,
  containersInOrder,
  type KubeEvent,
  type LifecycleStep,
  type Pod,
  type PodTerminationResult,
  type StartResult,
  validatePod,
} from '../index.js';
import {
  type DeleteAction,
  type RuntimeTimelineEntry,
  runScenario,
  ScenarioError,
  type ScenarioResult,
  type ScenarioTrace,
} from '../testing/index.js';
import { formatSeconds } from './durations.js';
import { CliError, ExitCode, usageError } from './errors.js';
import { checkPodScripts } from './pod-scripts.js';
import type { SimulationScript } from './scenario.js';
import { type PodSimulationTrace, simulatePod } from './simulate-pod.js';
import {
  describeHandler,
  type RunnerSetup,
  SIMULATED_POD_IP,
  SIMULATION_MAX_TIMERS,
  toRunnerScenario,
} from './simulation-setup.js';

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
  readonly pod: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly terminationGracePeriodSeconds: number;
  };
  readonly containers: readonly SimulatedContainer[];
  readonly deletes: ReadonlyArray<{ readonly atMs: number; readonly gracePeriodSeconds?: number }>;
  readonly events: readonly KubeEvent[];
  readonly steps: readonly LifecycleStep[];
  readonly runtime: readonly RuntimeTimelineEntry[];
  readonly http: readonly SimulatedRequest[];
  readonly starts: readonly StartResult[];
  readonly termination?: PodTerminationResult;
  readonly statuses: Readonly<Record<string, ContainerStatus>>;
  /** Things a reader should know: a container never started, a stuck pod, an ignored crash. */
  readonly notes: readonly string[];
  /** Virtual time at which the simulation ended. */
  readonly endMs: number;
}

/** Gives the pod what a cluster would: defaults, a namespace, a UID and a pod IP. */
export function preparePod(input: unknown, policy: { allowZeroSleep?: boolean | undefined }): Pod {
  const errors = validatePod(
    input,
    policy.allowZeroSleep === undefined ? {} : { allowZeroSleep: policy.allowZeroSleep },
  );
  if (errors.length > 0) {
    const name = String((input as { metadata?: { name?: unknown } }).metadata?.name ?? '');
    throw new CliError(`${aggregateMessage(name, errors)} (run 'kube-lifecycle validate' for the list)`, {
      exitCode: ExitCode.invalid,
    });
  }
  const pod = applyDefaults(input as Pod);
  const name = pod.metadata?.name ?? 'pod';
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      name,
      namespace: pod.metadata?.namespace ?? 'default',
      uid: pod.metadata?.uid ?? `sim-${name}`,
    },
    status:
      pod.status?.podIP !== undefined || (pod.status?.podIPs?.length ?? 0) > 0
        ? { ...pod.status }
        : { ...pod.status, podIP: SIMULATED_POD_IP },
  };
}

/**
 * Whether the simulation runs on the pod worker (`startPod`): when exits, probe results or a
 * horizon are scripted (`--exit`, `--probe`, `--for` or their scenario keys).
 */
export function usesPodWorker(scenario: SimulationScript): boolean {
  return scenario.exits.length > 0 || scenario.probes.size > 0 || scenario.forMs !== undefined;
}

/** The containers of a prepared pod, with their hooks described, in start order. */
export function describeContainers(pod: Pod): SimulatedContainer[] {
  return containersInOrder(pod).map(({ container, kind }) => ({
    name: container.name,
    kind,
    ...(container.lifecycle?.postStart
      ? { postStart: describeHandler(container.lifecycle.postStart, container, pod) }
      : {}),
    ...(container.lifecycle?.preStop ? { preStop: describeHandler(container.lifecycle.preStop, container, pod) } : {}),
    ...(container.lifecycle?.stopSignal ? { stopSignal: container.lifecycle.stopSignal } : {}),
  }));
}

/**
 * Runs the pod on the pod worker (see {@link usesPodWorker}): restarts, back-off, probes.
 */
export async function simulateOnWorker(input: unknown, scenario: SimulationScript): Promise<PodSimulationTrace> {
  const pod = preparePod(input, scenario.policy);
  const problems = checkPodScripts(pod, scenario.exits, scenario.probes.values());
  if (problems.length > 0) throw usageError('simulate', problems.join('\n'));
  return simulatePod(pod, scenario, describeContainers(pod));
}

/**
 * Runs the pod in virtual time with the testing kit's `runScenario`: starts every container in
 * order (init containers and sidecars first), deletes the pod when the scenario says (default:
 * once the start sequence has settled), and records everything until no timer is left.
 */
export async function simulate(input: unknown, scenario: SimulationScript): Promise<SimulationTrace> {
  const pod = preparePod(input, scenario.policy);
  const problems = checkPodScripts(pod, scenario.exits, scenario.probes.values());
  if (problems.length > 0) throw usageError('simulate', problems.join('\n'));
  const setup = toRunnerScenario(pod, scenario);
  let run: ScenarioTrace;
  try {
    run = await runScenario(pod, setup.scenario, { ties: 'actionsFirst' });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    throw usageError(
      'simulate',
      `${setup.origin(error.path)}: ${error.message.slice(`scenario.${error.path}: `.length)}`,
    );
  }
  const order = containersInOrder(pod);
  const startAll = run.results[0] as ScenarioResult;
  // The default delete waits for `startAll` (`after: 0`): it ran once that settled.
  const deletes = run.results
    .filter((r) => r.kind === 'delete' && (r.after === undefined || run.results[r.after]?.status !== 'pending'))
    .sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const termination = deletes
    .filter((r) => r.termination !== undefined)
    .sort((a, b) => (a.settledAtMs ?? 0) - (b.settledAtMs ?? 0))
    .at(-1)?.termination;
  return {
    pod: {
      name: pod.metadata?.name ?? '',
      namespace: pod.metadata?.namespace ?? 'default',
      uid: pod.metadata?.uid ?? '',
      terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
    },
    containers: describeContainers(pod),
    deletes: deletes.map((r) => {
      const { gracePeriodSeconds } = setup.scenario.actions[r.index] as DeleteAction;
      return { atMs: r.atMs, ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }) };
    }),
    events: run.events,
    steps: run.steps,
    runtime: run.runtime,
    http: run.http.map((r) => ({
      atMs: r.atMs,
      method: r.request.method,
      url: r.request.url,
      headers: r.request.headers,
      ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
    })),
    starts: startAll.starts ?? [],
    ...(termination === undefined ? {} : { termination }),
    statuses: run.statuses,
    notes: notesOf(run, setup, {
      order: order.map((o) => o.container.name),
      deleted: deletes.length > 0,
      hasTermination: termination !== undefined,
    }),
    endMs: run.endMs,
  };
}

/** The runner's notes in the CLI's words, then what the CLI adds: failures, the guard, a stuck pod. */
function notesOf(
  run: ScenarioTrace,
  setup: RunnerSetup,
  state: { order: readonly string[]; deleted: boolean; hasTermination: boolean },
): string[] {
  const startAll = run.results[0] as ScenarioResult;
  const startAllPrefix = 'actions[0] (startAll): ';
  const ignored = new Map(
    run.results
      .filter((r) => r.status === 'ignored')
      .map((r) => [r.note, `${setup.origin(`actions[${r.index}]`)} ignored: the container was not running then`]),
  );
  const notes: string[] = [];
  for (const note of run.notes) {
    if (note.startsWith(startAllPrefix)) {
      const text = note.slice(startAllPrefix.length);
      notes.push(
        / did not become Running \(.*\); later containers were not started$/.test(text)
          ? `${text} (the kubelet would restart it with back-off; restarts are not simulated)`
          : text,
      );
    } else if (ignored.has(note)) notes.push(ignored.get(note) as string);
    // `never ran` (the default delete behind a start that never settled) and the maxTimers stop
    // are said below in the CLI's terms.
    else if (
      !/^actions\[\d+\] never ran: /.test(note) &&
      !(run.endReason === 'maxTimers' && note.startsWith('the run stopped at '))
    )
      notes.push(note);
  }
  if (startAll.status === 'rejected') notes.push(`starting failed: ${firstLine(startAll.error?.message)}`);
  const failedDeletes = run.results.filter((r) => r.kind === 'delete' && r.status === 'rejected');
  for (const r of failedDeletes) notes.push(`deletePod failed: ${firstLine(r.error?.message)}`);
  if (run.endReason === 'maxTimers')
    notes.push(`simulation stopped at ${formatSeconds(run.endMs)}: more than ${SIMULATION_MAX_TIMERS} timers`);
  const startsSettled = startAll.status !== 'pending';
  const deletionSettled = state.hasTermination || failedDeletes.length > 0;
  if (!startsSettled) {
    const pending = state.order[startAll.starts?.length ?? 0] ?? '?';
    notes.push(
      `${pending} never finished starting: its postStart is still running and the kubelet sets no timeout (spec §3.3, k/k#116032); ` +
        'the pod stays ContainerCreating, and a delete waits behind it (spec §3.7). Try --policy postStartTimeoutSeconds=10',
    );
  }
  if (!state.deleted)
    notes.push('the pod was never deleted: the default delete comes once every container is running; use --delete-at');
  else if (!deletionSettled)
    notes.push('the pod is stuck Terminating: the delete waits for the start sequence to finish (spec §3.7)');
  return notes;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0] ?? '';
}
