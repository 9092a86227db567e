import type { Pod } from '../api/types.js';

/** The labels the kubelet's dockershim put on every container (and `DockerRuntime` does too). */
export const KUBERNETES_LABELS = Object.freeze({
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUID: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** `podsandbox` or `container`, as dockershim's `io.kubernetes.docker.type`. */
  type: 'io.kubernetes.docker.type',
  /** On a container: the id of its pod's sandbox. */
  sandboxId: 'io.kubernetes.sandbox.id',
});

/**
 * The labels owned by the adapter: what a {@link sweep} looks for. `managed` is on everything
 * `DockerRuntime` creates; `run` names the runtime instance; `ownerPid`/`ownerHost` the process
 * that created it, so a sweep can tell a crashed run's leftovers from a live run's containers.
 */
export const ADAPTER_LABELS = Object.freeze({
  managed: 'dev.kube-lifecycle.managed',
  run: 'dev.kube-lifecycle.run',
  ownerPid: 'dev.kube-lifecycle.owner-pid',
  ownerHost: 'dev.kube-lifecycle.owner-host',
});

/** The container name dockershim gave every sandbox (`k8s_POD_…`) and its container-name label. */
export const SANDBOX_CONTAINER_NAME = 'POD';

/** The pod's identity as the names and labels use it (namespace defaulted as the API server does). */
export interface PodIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

/** The pod's name, namespace (default `default`) and uid, as strings. */
export function podIdentity(pod: Pod): PodIdentity {
  const meta = pod.metadata ?? {};
  return { name: meta.name ?? '', namespace: meta.namespace ?? 'default', uid: meta.uid ?? '' };
}

/** A key unique per pod (namespace, name, uid). */
export function podKey(pod: PodIdentity): string {
  return JSON.stringify([pod.namespace, pod.name, pod.uid]);
}

/** Docker names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; `_` separates the fields, so it is replaced too. */
function part(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9.-]/g, '-');
  return cleaned === '' ? '-' : cleaned;
}

/**
 * The kubelet's (dockershim's) container name with its conflict suffix:
 * `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>_<runId>`; for the sandbox `<container>` is
 * `POD`. dockershim appended a random suffix when the plain name was taken; here the suffix is
 * always the runtime instance's `runId`, so two runs of the same manifest never collide.
 *
 * @example kubeletContainerName('web', { name: 'demo', namespace: 'default', uid: 'u1' }, 0, '3f2a9c1e')
 * // 'k8s_web_demo_default_u1_0_3f2a9c1e'
 */
export function kubeletContainerName(container: string, pod: PodIdentity, attempt: number, runId: string): string {
  return [
    'k8s',
    part(container),
    part(pod.name),
    part(pod.namespace),
    part(pod.uid),
    String(attempt),
    part(runId),
  ].join('_');
}

/** The labels of a container (or, with `sandboxId` undefined and container `POD`, of a sandbox). */
export function containerLabels(
  pod: PodIdentity,
  container: string,
  owner: { runId: string; pid: number; host: string },
  sandboxId?: string,
): Record<string, string> {
  return {
    [KUBERNETES_LABELS.podName]: pod.name,
    [KUBERNETES_LABELS.podNamespace]: pod.namespace,
    [KUBERNETES_LABELS.podUID]: pod.uid,
    [KUBERNETES_LABELS.containerName]: container,
    [KUBERNETES_LABELS.type]: sandboxId === undefined ? 'podsandbox' : 'container',
    ...(sandboxId === undefined ? {} : { [KUBERNETES_LABELS.sandboxId]: sandboxId }),
    [ADAPTER_LABELS.managed]: 'true',
    [ADAPTER_LABELS.run]: owner.runId,
    [ADAPTER_LABELS.ownerPid]: String(owner.pid),
    [ADAPTER_LABELS.ownerHost]: owner.host,
  };
}
