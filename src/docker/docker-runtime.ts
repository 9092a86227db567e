import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Container, Pod } from '../api/types.js';
import type {
  ContainerExit,
  ContainerRef,
  ExecResult,
  PodSandbox,
  Runtime,
  StartContainerOptions,
} from '../ports/runtime.js';
import { linkedAbort } from './abort.js';
import { connect, type DockerOption } from './connection.js';
import {
  containerCreateOptions,
  effectivePullPolicy,
  type ImagePullPolicy,
  sandboxCreateOptions,
} from './container-config.js';
import { type Daemon, execInContainer, stopContainer, waitContainer } from './container-ops.js';
import { createAndStart, sandboxIP } from './create-container.js';
import { DockerRuntimeError } from './errors.js';
import { type DockerPullEvent, ensureImage } from './images.js';
import type { RequireFunction } from './load-dockerode.js';
import {
  containerLabels,
  kubeletContainerName,
  type PodIdentity,
  podIdentity,
  podKey,
  SANDBOX_CONTAINER_NAME,
} from './names.js';
import { DEFAULT_SANDBOX_IMAGE, type DockerRuntimeOptions, validateOptions } from './options.js';
import { listManaged, removeContainers, type SweepOptions, type SweepResult, sandboxesLast, sweep } from './sweep.js';

interface SandboxRecord {
  readonly id: string;
  readonly key: string;
  readonly pod: PodIdentity;
  readonly podIP: string | undefined;
}

/**
 * The `Runtime` port over the Docker Engine API (dockerode), Podman's compatible socket included
 * (docs/adapters.md). As the kubelet's dockershim: a sandbox container per pod holds its network
 * namespace and every container joins it; names are `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>_<runId>`;
 * labels `io.kubernetes.*` plus the adapter's own, so {@link dispose} and {@link DockerRuntime.sweep}
 * remove everything it created. Daemon failures reject with a {@link DockerRuntimeError}.
 *
 * @example
 * ```ts
 * const runtime = new DockerRuntime({ network: 'host' });
 * const manager = new LifecycleManager({ runtime, httpClient: new NodeHttpClient() });
 * // … manager.startContainer / deletePod …
 * await runtime.dispose();
 * ```
 */
export class DockerRuntime implements Runtime {
  /** This instance's run id: the suffix of every container name and the `dev.kube-lifecycle.run` label. */
  readonly runId: string = randomUUID().slice(0, 8);
  /** The network mode of the sandboxes. */
  readonly network: 'bridge' | 'host';
  readonly #daemon: Daemon;
  readonly #sandboxImage: string;
  readonly #sandboxCommand: readonly string[] | undefined;
  readonly #pullPolicy: ImagePullPolicy | undefined;
  readonly #onPull: ((event: DockerPullEvent) => void) | undefined;
  readonly #owner = { runId: this.runId, pid: process.pid, host: hostname() };
  readonly #sandboxes = new Map<string, Promise<SandboxRecord>>();
  readonly #attempts = new Map<string, number>();
  readonly #created = new Set<string>();
  /** In-flight waitContainer calls per container id. */
  readonly #waits = new Map<string, Set<Promise<ContainerExit>>>();
  #disposed = false;

  /**
   * @throws DockerRuntimeError `ERR_DOCKERODE_MISSING` when dockerode is not installed,
   * `ERR_INVALID_OPTION` for a bad option. No daemon call is made here.
   * @param internal For tests only: `require`, to simulate a missing dockerode.
   */
  constructor(options: DockerRuntimeOptions = {}, internal: { require?: RequireFunction } = {}) {
    validateOptions(options);
    this.network = options.network ?? 'bridge';
    this.#sandboxImage = options.sandboxImage ?? DEFAULT_SANDBOX_IMAGE;
    this.#sandboxCommand = options.sandboxCommand;
    this.#pullPolicy = options.pullPolicy;
    this.#onPull = options.onPull;
    this.#daemon = connect(options.docker, internal.require);
  }

  /**
   * Remove the containers `DockerRuntime` instances left behind on a daemon (a crashed run's):
   * by default only those whose creating process is no longer alive on this host.
   */
  static async sweep(options: SweepOptions & { docker?: DockerOption } = {}): Promise<SweepResult> {
    return sweep(connect(options.docker), options);
  }

  /** Create (or return) the pod's sandbox; its IP is the pod IP (`127.0.0.1` under `network: 'host'`). */
  async runPodSandbox(pod: Pod, options: { signal: AbortSignal }): Promise<PodSandbox> {
    const sandbox = await this.#sandboxFor(podIdentity(pod), options.signal);
    return { id: sandbox.id, ...(sandbox.podIP === undefined ? {} : { podIP: sandbox.podIP }) };
  }

  /** Remove the sandbox and every container of its pod (running or not). Unknown ids resolve. */
  async stopPodSandbox(sandboxId: string, options: { signal: AbortSignal }): Promise<void> {
    await linkedAbort(options.signal, async () => {
      for (const [key, pending] of this.#sandboxes) {
        const record = await pending.catch(() => undefined);
        if (record?.id === sandboxId) this.#sandboxes.delete(key);
      }
      const mine = (await listManaged(this.#daemon, this.runId)).filter(
        (c) => c.Id === sandboxId || c.Labels?.['io.kubernetes.sandbox.id'] === sandboxId,
      );
      for (const group of sandboxesLast(mine)) {
        await removeContainers(
          this.#daemon,
          group.map((c) => c.Id),
          `removing pod sandbox ${sandboxId}`,
        );
        for (const c of group) this.#created.delete(c.Id);
      }
    });
  }

  /**
   * Make sure the image is there (pull policy, `onPull` lines), create the container in the pod's
   * sandbox (created first if needed) and start it; resolves with the Docker container id.
   */
  async startContainer(pod: Pod, container: Container, options: StartContainerOptions): Promise<{ id: string }> {
    this.#checkOpen();
    options.signal.throwIfAborted();
    const identity = podIdentity(pod);
    if (typeof container.image !== 'string' || container.image === '')
      throw new DockerRuntimeError(
        'ERR_NO_IMAGE',
        `container "${container.name}" of pod "${identity.name}" has no image; set spec.containers[].image (e.g. nginx:1.27)`,
      );
    const sandbox = await this.#sandboxFor(identity, options.signal);
    await ensureImage(
      this.#daemon.docker,
      {
        ...this.#imageRequest(
          container.image,
          effectivePullPolicy(container, this.#pullPolicy),
          identity,
          container.name,
        ),
        onEvent: options.onEvent,
      },
      options.signal,
    );
    const attemptKey = `${sandbox.key}/${container.name}`;
    const attempt = this.#attempts.get(attemptKey) ?? 0;
    this.#attempts.set(attemptKey, attempt + 1);
    const create = containerCreateOptions(container, {
      name: kubeletContainerName(container.name, identity, attempt, this.runId),
      labels: containerLabels(identity, container.name, this.#owner, sandbox.id),
      sandboxId: sandbox.id,
    });
    const id = await createAndStart(
      this.#daemon,
      this.#created,
      create,
      options.signal,
      `container "${container.name}" of pod "${identity.name}"`,
    );
    return { id };
  }

  /** CRI ExecSync: argv without a shell, stdout/stderr kept apart; an abort rejects at once. */
  exec(ref: ContainerRef, command: readonly string[], options: { signal: AbortSignal }): Promise<ExecResult> {
    return execInContainer(this.#daemon, ref, command, options.signal);
  }

  /**
   * Stop signal, SIGKILL after `timeoutSeconds`, resolved once exited. Pending
   * {@link waitContainer} calls for the container resolve first, so a caller learns the exit
   * (code 137 after a SIGKILL) before its stop resolves, as with a runtime's exit callback.
   */
  async stopContainer(
    ref: ContainerRef,
    options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    await stopContainer(this.#daemon, ref, options);
    const pending = this.#waits.get(ref.id);
    if (pending !== undefined) await linkedAbort(options.signal, () => Promise.allSettled([...pending]));
  }

  /** The exit of the container's main process (wait endpoint), with `OOMKilled` when Docker says so. */
  waitContainer(ref: ContainerRef, options: { signal: AbortSignal }): Promise<ContainerExit> {
    const exit = waitContainer(this.#daemon, ref, options.signal);
    const pending = this.#waits.get(ref.id) ?? new Set<Promise<ContainerExit>>();
    this.#waits.set(ref.id, pending);
    pending.add(exit);
    const settled = (): void => {
      pending.delete(exit);
      if (pending.size === 0 && this.#waits.get(ref.id) === pending) this.#waits.delete(ref.id);
    };
    exit.then(settled, settled);
    return exit;
  }

  /**
   * Remove every container and sandbox this instance created (running or not), and refuse new
   * ones. Idempotent.
   */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await Promise.all([...this.#sandboxes.values()].map((p) => p.catch(() => undefined)));
    this.#sandboxes.clear();
    const listed = await listManaged(this.#daemon, this.runId);
    const ids = new Set([...this.#created, ...listed.map((c) => c.Id)]);
    const sandboxIds = new Set(sandboxesLast(listed)[1]?.map((c) => c.Id));
    await removeContainers(
      this.#daemon,
      [...ids].filter((id) => !sandboxIds.has(id)),
      'disposing DockerRuntime',
    );
    await removeContainers(this.#daemon, [...sandboxIds], 'disposing DockerRuntime');
    this.#created.clear();
  }

  #checkOpen(): void {
    if (this.#disposed)
      throw new DockerRuntimeError(
        'ERR_DISPOSED',
        'this DockerRuntime was disposed; create a new one to run more pods',
      );
  }

  #imageRequest(image: string, policy: ImagePullPolicy, pod: PodIdentity, container: string) {
    return {
      image,
      policy,
      pod,
      container,
      daemon: this.#daemon.address,
      onPull: this.#onPull,
      now: () => performance.now(),
    };
  }

  /** The pod's sandbox, created once (concurrent callers share the creation). */
  #sandboxFor(pod: PodIdentity, signal: AbortSignal): Promise<SandboxRecord> {
    this.#checkOpen();
    const key = podKey(pod);
    const existing = this.#sandboxes.get(key);
    if (existing !== undefined) return linkedAbort(signal, () => existing);
    const created = this.#createSandbox(key, pod, signal);
    this.#sandboxes.set(key, created);
    created.catch(() => {
      if (this.#sandboxes.get(key) === created) this.#sandboxes.delete(key);
    });
    return created;
  }

  async #createSandbox(key: string, pod: PodIdentity, signal: AbortSignal): Promise<SandboxRecord> {
    const policy = this.#pullPolicy === 'Never' ? 'Never' : 'IfNotPresent';
    await ensureImage(
      this.#daemon.docker,
      this.#imageRequest(this.#sandboxImage, policy, pod, SANDBOX_CONTAINER_NAME),
      signal,
    );
    const attempt = this.#attempts.get(key) ?? 0;
    this.#attempts.set(key, attempt + 1);
    const create = sandboxCreateOptions({
      name: kubeletContainerName(SANDBOX_CONTAINER_NAME, pod, attempt, this.runId),
      labels: containerLabels(pod, SANDBOX_CONTAINER_NAME, this.#owner),
      image: this.#sandboxImage,
      command: this.#sandboxCommand,
      network: this.network,
      hostname: pod.name,
    });
    const id = await createAndStart(this.#daemon, this.#created, create, signal, `the sandbox of pod "${pod.name}"`);
    if (this.network === 'host') return { id, key, pod, podIP: '127.0.0.1' };
    try {
      return { id, key, pod, podIP: await sandboxIP(this.#daemon, id, pod.name) };
    } catch (error) {
      // sandboxIP removed a sandbox without an address; one it could not inspect stays for dispose
      if (error instanceof DockerRuntimeError && error.code === 'ERR_NETWORK_UNAVAILABLE') this.#created.delete(id);
      throw error;
    }
  }
}
