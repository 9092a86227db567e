import { aggregateMessage, applyDefaults, containersInOrder, type Pod, validatePod } from '../index.js';
import { CliError, ExitCode, usageError } from './errors.js';
import { checkPodScripts } from './pod-scripts.js';
import type { SimulationScript } from './scenario.js';
import { type PodSimulationTrace, simulatePod } from './simulate-pod.js';
import { describeHandler, SIMULATED_POD_IP } from './simulation-setup.js';

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
  /** The virtual instant the request was sent. */
  readonly at: number;
  /** @deprecated Use `at` (same value); removed in 0.2.0. */
  readonly atMs: number;
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly outcome?: { readonly status: number } | { readonly error: string };
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
 * `simulate`: prepares the pod, checks the scripts against it, and runs it on the pod worker
 * (`startPod`, see `simulate-pod.ts`): starts, hooks, exits, restarts with back-off, probes,
 * deletes.
 */
export async function simulate(input: unknown, scenario: SimulationScript): Promise<PodSimulationTrace> {
  const pod = preparePod(input, scenario.policy);
  const problems = checkPodScripts(pod, scenario.exits, scenario.probes.values());
  if (problems.length > 0) throw usageError('simulate', problems.join('\n'));
  return simulatePod(pod, scenario, describeContainers(pod));
}
