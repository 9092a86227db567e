import type { Container, Pod } from '../../src/api/types.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import type {
  ContainerDriver,
  ContainerExit,
  KillOptions,
  SandboxInfo,
  StartOutcome,
  StopOutcome,
} from '../../src/pod/container-driver.js';
import { sleepOn } from '../../src/ports/clock.js';
import type { VirtualClock } from '../../src/testing/virtual-clock.js';

/** Per container: what each attempt does. `attempt` counts from 0. */
export interface FakeBehaviour {
  /** postStart fails on this attempt (the driver then kills it, as the manager does). */
  readonly postStartFails?: (attempt: number) => boolean;
  /** The container exits by itself this long after it is running (undefined: runs until killed). */
  readonly exitAfterMs?: (attempt: number) => number | undefined;
  readonly exitCode?: (attempt: number) => number;
  /** Time the runtime start takes. */
  readonly startMs?: number;
  /** Time a kill takes (preStop + grace). */
  readonly killMs?: number;
  /** Exit code of a killed container. @default 137 */
  readonly killExitCode?: number;
}

interface Live {
  resolve: (exit: ContainerExit) => void;
  promise: Promise<ContainerExit>;
  exited: boolean;
}

/** An in-test ContainerDriver on a VirtualClock that emits the manager's events (spec pod §4.6). */
export class FakeDriver implements ContainerDriver {
  readonly starts: Array<{ name: string; at: number; restartCount: number }> = [];
  readonly kills: Array<{ name: string; at: number; reason: string }> = [];
  readonly events: KubeEvent[] = [];
  readonly sandbox: { runs: number; stops: number } = { runs: 0, stops: 0 };
  readonly #live = new Map<string, Live>();
  readonly #attempts = new Map<string, number>();

  constructor(
    readonly clock: VirtualClock,
    readonly pod: Pod,
    readonly behaviours: Record<string, FakeBehaviour> = {},
    readonly options: { sandboxIP?: string; withWaitExit?: boolean } = {},
  ) {
    if (options.sandboxIP !== undefined) {
      this.runSandbox = async (): Promise<SandboxInfo> => {
        this.sandbox.runs++;
        return { id: 'sb-1', podIP: options.sandboxIP as string };
      };
      this.stopSandbox = async (): Promise<void> => {
        this.sandbox.stops++;
      };
    }
  }

  runSandbox?: () => Promise<SandboxInfo>;
  stopSandbox?: (id: string) => Promise<void>;

  emit(reason: string, message: string, name: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    const isInit = (this.pod.spec?.initContainers ?? []).some((c: Container) => c.name === name);
    this.events.push({
      type,
      reason,
      message,
      object: {
        kind: 'Container',
        name,
        namespace: 'default',
        fieldPath: isInit ? `spec.initContainers{${name}}` : `spec.containers{${name}}`,
        podName: this.pod.metadata?.name ?? '',
      },
      timestamp: this.clock.now(),
    });
  }

  async start(name: string, options: { restartCount: number }): Promise<StartOutcome> {
    const attempt = this.#attempts.get(name) ?? 0;
    this.#attempts.set(name, attempt + 1);
    const b = this.behaviours[name] ?? {};
    this.starts.push({ name, at: this.clock.now(), restartCount: options.restartCount });
    if (b.startMs) await sleepOn(this.clock, b.startMs);
    this.emit('Created', 'Container created', name);
    this.emit('Started', 'Container started', name);
    const live = this.#newLive(name);
    if (b.postStartFails?.(attempt)) {
      this.emit('FailedPostStartHook', 'PostStartHook failed', name, 'Warning');
      const stop = await this.kill(name, { reason: 'FailedPostStartHook', message: 'FailedPostStartHook' });
      return {
        outcome: 'postStartFailed',
        containerID: `${name}-${attempt}`,
        message:
          'Exec lifecycle hook ([false]) for Container "x" in Pod "y" failed - error: command \'false\' exited with 1: ',
        ...(stop.exit ? { exit: stop.exit } : {}),
      };
    }
    const after = b.exitAfterMs?.(attempt);
    if (after !== undefined) {
      const code = b.exitCode?.(attempt) ?? 0;
      this.clock.setTimeout(() => this.exit(name, code, live), after);
    }
    return { outcome: 'running', containerID: `${name}-${attempt}` };
  }

  #newLive(name: string): Live {
    let resolve!: (exit: ContainerExit) => void;
    const promise = new Promise<ContainerExit>((r) => {
      resolve = r;
    });
    const live = { resolve, promise, exited: false };
    this.#live.set(name, live);
    return live;
  }

  /** The container exits by itself now with `exitCode` (no-op if not running). */
  exit(name: string, exitCode: number, live = this.#live.get(name)): boolean {
    if (!live || live.exited || this.#live.get(name) !== live) return false;
    live.exited = true;
    live.resolve({ exitCode, finishedAt: this.clock.now() });
    return true;
  }

  isRunning(name: string): boolean {
    const live = this.#live.get(name);
    return live !== undefined && !live.exited;
  }

  async kill(name: string, options: KillOptions): Promise<StopOutcome> {
    this.kills.push({ name, at: this.clock.now(), reason: options.reason });
    this.emit('Killing', options.message ?? `Stopping container ${name}`, name);
    const b = this.behaviours[name] ?? {};
    // In a KillPod, a sidecar's stop waits for the containers it must outlive (the real driver
    // bounds it by the grace): the main containers and the next-declared sidecar.
    if (options.ordered) for (const other of this.#outlives(name)) await other;
    if (b.killMs) await sleepOn(this.clock, b.killMs);
    const code = b.killExitCode ?? 137;
    const live = this.#live.get(name);
    if (live && !live.exited) {
      live.exited = true;
      const exit = { exitCode: code, finishedAt: this.clock.now() };
      live.resolve(exit);
      return { exit };
    }
    return {};
  }

  /** The exits a sidecar `name` waits for in a KillPod (spec §4.2-C.6); none for another container. */
  #outlives(name: string): Promise<ContainerExit>[] {
    const inits = this.pod.spec?.initContainers ?? [];
    const sidecars = inits.filter((c) => c.restartPolicy === 'Always').map((c) => c.name);
    const at = sidecars.indexOf(name);
    if (at < 0) return [];
    const mains = [...inits.filter((c) => c.restartPolicy !== 'Always'), ...(this.pod.spec?.containers ?? [])];
    const names = [...mains.map((c) => c.name), ...sidecars.slice(at + 1, at + 2)];
    return names.flatMap((n) => {
      const live = this.#live.get(n);
      return live !== undefined && !live.exited ? [live.promise] : [];
    });
  }

  waitExit(name: string): Promise<ContainerExit> | undefined {
    return this.options.withWaitExit === false ? undefined : this.#live.get(name)?.promise;
  }
}

/** A pod with the given containers. */
export function podOf(
  containers: Container[],
  extra: { restartPolicy?: string; initContainers?: Container[]; name?: string } = {},
): Pod {
  const name = extra.name ?? 'web';
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      containers,
      ...(extra.initContainers ? { initContainers: extra.initContainers } : {}),
      ...(extra.restartPolicy ? { restartPolicy: extra.restartPolicy } : {}),
      terminationGracePeriodSeconds: 30,
    },
  };
}
