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

/** The result of CRI ExecSync: exit code plus captured output. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout?: string;
  readonly stderr?: string;
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
  startContainer(pod: Pod, container: Container, options: { signal: AbortSignal }): Promise<{ id: string }>;
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
}
