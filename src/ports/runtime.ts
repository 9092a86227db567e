import type { Container, Pod } from '../api/types.js';

/**
 * Identifies a started container: plain data, never an adapter's own objects.
 * `id` is the runtime's container id returned by {@link Runtime.startContainer}.
 */
export interface ContainerRef {
  readonly id: string;
  readonly name: string;
  readonly podName: string;
  readonly podNamespace: string;
  readonly podUID: string;
}

/**
 * The result of CRI ExecSync: exit code plus captured output. Adapters should bound what they
 * buffer (the node adapters keep 1 MiB per stream); the hook runner keeps at most 16 MiB per
 * stream of a failed hook (`MAX_EXEC_OUTPUT_BYTES`, the CRI's ExecSync bound) and says when it cut.
 */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** How a container's main process ended, as {@link Runtime.waitContainer} reports it. */
export interface ContainerExit {
  /** The exit code; 128 + n for a process killed by signal n. */
  readonly exitCode: number;
  /** The runtime's reason (e.g. `OOMKilled`); the manager derives `Completed`/`Error` when absent. */
  readonly reason?: string;
  /** The signal that ended the process, if the runtime knows it (e.g. `SIGKILL`). */
  readonly signal?: string;
}

/** A pod sandbox created by {@link Runtime.runPodSandbox}. */
export interface PodSandbox {
  /** The runtime's sandbox id, handed back to {@link Runtime.stopPodSandbox}. */
  readonly id: string;
  /** The pod's IP: `status.podIP` and the default host of httpGet hooks and probes. */
  readonly podIP?: string;
}

/**
 * An event a runtime reports while it starts a container, e.g. the kubelet's image events
 * `Pulling` / `Pulled` / `Failed` / `ErrImageNeverPull` (spec pod §4.6). The manager emits it as
 * a Kubernetes event of that container (fieldPath, timestamp on its clock).
 */
export interface RuntimeEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/** Options of {@link Runtime.startContainer}. */
export interface StartContainerOptions {
  readonly signal: AbortSignal;
  /**
   * Optional sink for {@link RuntimeEvent}s about this container (given by the manager; an adapter
   * that has none to report ignores it). Call it only while `startContainer` is pending.
   */
  readonly onEvent?: (event: RuntimeEvent) => void;
}

/**
 * The container runtime port (DESIGN §5, pinned). Three CRI-shaped calls; the core decides when
 * to make them and how long to wait, on the injected clock.
 *
 * Implement it for Docker, Podman, containerd, runc, Firecracker or plain child processes, then
 * prove the adapter with `runtimeConformanceCases` from `kube-lifecycle/testing`.
 */
export interface Runtime {
  /** Create and start the container's main process; resolve when it is started. */
  startContainer(pod: Pod, container: Container, options: StartContainerOptions): Promise<{ id: string }>;
  /** CRI ExecSync: run argv in the container (no shell); resolve with its exit code and output. */
  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult>;
  /**
   * CRI StopContainer: send `stopSignal` (undefined = runtime default, normally SIGTERM), SIGKILL
   * after `timeoutSeconds`; resolve once the container has exited. Must not fail if already stopped.
   */
  stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void>;
  /**
   * Optional (DESIGN §10): resolve once the container's main process has exited, with its exit
   * code and reason. The manager calls it after each start; an adapter without it reports exits
   * through `LifecycleManager.notifyExited`. Rejects only when `signal` aborts or the container is
   * unknown to the runtime.
   */
  waitContainer?(ref: ContainerRef, options: { signal: AbortSignal }): Promise<ContainerExit>;
  /**
   * Optional (DESIGN §10): create the pod's sandbox (its network namespace) before any container
   * starts; its `podIP` becomes the pod's IP.
   */
  runPodSandbox?(pod: Pod, options: { signal: AbortSignal }): Promise<PodSandbox>;
  /** Optional (DESIGN §10): remove the sandbox once the pod's last container has stopped. */
  stopPodSandbox?(sandboxId: string, options: { signal: AbortSignal }): Promise<void>;
}
