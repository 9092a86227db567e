/**
 * The microtask turns of the pod worker's restart path, as an embedder can observe them: every
 * clock `setTimeout`/`clearTimeout`, runtime call, event and pod status snapshot, and the settling
 * of `startPod`/`deletePod`, each stamped with virtual time and the microtask turn (a ticker that
 * queues itself once per turn, in the same FIFO as promise jobs). Round 6 (second sprint) of
 * docs/performance-history.md turned the pod sync's, the pod-level start's and `PodDriver.start`'s async
 * functions into promise chains; these traces were recorded from the async-function
 * implementation before that change and pin that every turn stayed (spec pod §4.2 back-off and
 * start, spec pod §4.3 requeue, spec pod §4.5 `BackOff` events, spec pod §5 init/sidecar order).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { ContainerExit, ContainerRef, ExecResult, Runtime } from '../../src/ports/runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { RecordingHttpClient } from '../support/manager-harness.js';
import { Ticker } from '../support/turn-ticker.js';

/** How a container behaves, per start: `crash` exits 1 at once, `done` exits 0 at once, `run` runs until killed, `fail` rejects the start. */
type Behaviour = 'crash' | 'done' | 'run' | 'fail';

/** Instant adapter calls; `script(name, attempt)` decides each start's behaviour. */
class ScriptedRuntime implements Runtime {
  #ids = 0;
  readonly #attempts = new Map<string, number>();
  readonly #behaviour = new Map<string, Behaviour>();
  constructor(
    private readonly note: (what: string) => void,
    private readonly script: (name: string, attempt: number) => Behaviour,
    private readonly postStartFails: ReadonlySet<string> = new Set(),
  ) {}
  startContainer(pod: Pod, container: Container): Promise<{ id: string }> {
    const attempt = this.#attempts.get(container.name) ?? 0;
    this.#attempts.set(container.name, attempt + 1);
    const behaviour = this.script(container.name, attempt);
    this.note(`runtime.start ${pod.metadata?.name}/${container.name} ${behaviour}`);
    if (behaviour === 'fail') return Promise.reject(new Error('no image'));
    const id = `id${++this.#ids}`;
    this.#behaviour.set(id, behaviour);
    return Promise.resolve({ id });
  }
  exec(ref: ContainerRef, argv: readonly string[]): Promise<ExecResult> {
    this.note(`runtime.exec ${ref.podName}/${ref.name} ${argv.join(' ')}`);
    const failing = argv[0] === 'post' && this.postStartFails.has(ref.name);
    return Promise.resolve({ exitCode: failing ? 1 : 0, stdout: '', stderr: '' });
  }
  stopContainer(ref: ContainerRef): Promise<void> {
    this.note(`runtime.stop ${ref.podName}/${ref.name}`);
    this.#behaviour.set(ref.id, 'done');
    return Promise.resolve();
  }
  waitContainer(ref: ContainerRef, options: { signal: AbortSignal }): Promise<ContainerExit> {
    const behaviour = this.#behaviour.get(ref.id);
    this.note(`runtime.wait ${ref.podName}/${ref.name} ${behaviour}`);
    if (behaviour === 'crash') return Promise.resolve({ exitCode: 1 });
    if (behaviour === 'done') return Promise.resolve({ exitCode: 0 });
    return new Promise((_, reject) => {
      options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
    });
  }
}

function setup(
  script: (name: string, attempt: number) => Behaviour,
  { batch = false, postStartFails = [] as string[] } = {},
) {
  const trace: string[] = [];
  const ticker = new Ticker();
  const clock = new VirtualClock({ batchSimultaneousTimers: batch });
  const note = (what: string): void => void trace.push(`${clock.now()}+${ticker.turn} ${what}`);
  const set = clock.setTimeout;
  const clear = clock.clearTimeout;
  Object.assign(clock, {
    setTimeout: (callback: () => void, delayMs: number, label?: string): unknown => {
      note(`setTimeout ${delayMs}`);
      return set(
        () => {
          note('fire');
          callback();
        },
        delayMs,
        label,
      );
    },
    clearTimeout: (handle: unknown): void => {
      note('clearTimeout');
      clear(handle as never);
    },
  });
  const runtime = new ScriptedRuntime(note, script, new Set(postStartFails));
  const manager = new LifecycleManager({ runtime, httpClient: new RecordingHttpClient(), clock });
  manager.on('event', (e) => note(`event ${e.reason} ${e.object.name} ${e.message}`));
  manager.on('podStatus', (pod, s) => {
    const containers = [...(s.initContainerStatuses ?? []), ...s.containerStatuses].map((c) => {
      const state = c.state.running
        ? 'running'
        : c.state.terminated
          ? 'terminated'
          : `waiting:${c.state.waiting?.reason}`;
      return `${c.name}=${state}/${c.restartCount}${c.ready ? '/ready' : ''}`;
    });
    note(`podStatus ${pod.metadata?.name} ${s.phase} ${containers.join(' ')}`);
  });
  const settled = (label: string, promise: Promise<unknown>): void => {
    promise.then(
      (r) => note(`${label} resolved ${(r as { phase?: string } | undefined)?.phase ?? ''}`),
      (e: unknown) => note(`${label} rejected ${(e as Error).message}`),
    );
  };
  /** Run `work` and the clock for `ms` of virtual time, tracing. */
  const run = async (ms: number, work: () => void): Promise<void> => {
    ticker.start();
    work();
    await clock.flush();
    await clock.advance(ms);
    ticker.stop();
  };
  return { trace, manager, clock, settled, run };
}

function pod(name: string, containers: Container[], extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers, terminationGracePeriodSeconds: 30, ...extra },
  };
}

const hooked = (name: string): Container => ({
  name,
  lifecycle: { postStart: { exec: { command: ['post'] } }, preStop: { exec: { command: ['pre'] } } },
});

describe('microtask turns of the pod worker (instant adapters)', () => {
  it('two crash-looping pods of two containers, batched timers (spec pod §4.2, §4.3, §4.5)', async () => {
    const { trace, manager, settled, run } = setup(() => 'crash', { batch: true });
    const pods = [pod('a', [{ name: 'c0' }, { name: 'c1' }]), pod('b', [{ name: 'c0' }, { name: 'c1' }])];
    await run(100_000, () => {
      for (const p of pods) settled(`startPod ${p.metadata?.name}`, manager.startPod(p));
    });
    await run(1_000, () => {
      for (const p of pods) settled(`deletePod ${p.metadata?.name}`, manager.deletePod(p));
    });
    expect(trace).toMatchSnapshot();
  });

  it('a crash-looping pod with hooks, one timer at a time (spec pod §4.2)', async () => {
    const { trace, manager, settled, run } = setup((name, attempt) =>
      name === 'web' && attempt < 3 ? 'crash' : 'run',
    );
    const p = pod('hooks', [hooked('web'), { name: 'side' }]);
    await run(80_000, () => settled('startPod', manager.startPod(p)));
    await run(40_000, () => settled('deletePod', manager.deletePod(p)));
    expect(trace).toMatchSnapshot();
  });

  it('init containers, then a sidecar, then the regulars (spec pod §5)', async () => {
    const { trace, manager, settled, run } = setup((name, attempt) =>
      name === 'init' ? (attempt === 0 ? 'crash' : 'done') : name === 'app' && attempt === 0 ? 'crash' : 'run',
    );
    const p = pod('ordered', [hooked('app')], {
      initContainers: [{ name: 'init' }, { ...hooked('side'), restartPolicy: 'Always' }],
    });
    await run(30_000, () => settled('startPod', manager.startPod(p)));
    await run(40_000, () => settled('deletePod', manager.deletePod(p)));
    expect(trace).toMatchSnapshot();
  });

  it('failed starts and a failed postStart (spec pod §4.2, spec §3)', async () => {
    const { trace, manager, settled, run } = setup(
      (name, attempt) => (name === 'flaky' && attempt < 2 ? 'fail' : name === 'flaky' ? 'run' : 'run'),
      { postStartFails: ['hooked'] },
    );
    const p = pod('failing', [{ name: 'flaky' }, hooked('hooked')]);
    await run(40_000, () => settled('startPod', manager.startPod(p)));
    await run(40_000, () => settled('deletePod', manager.deletePod(p)));
    expect(trace).toMatchSnapshot();
  });

  it('restartPolicy Never completes after the exits (spec pod §3.2)', async () => {
    const { trace, manager, settled, run } = setup((name) => (name === 'a' ? 'done' : 'crash'));
    const p = pod('never', [{ name: 'a' }, { name: 'b' }], { restartPolicy: 'Never' });
    await run(5_000, () => settled('startPod', manager.startPod(p)));
    await run(1_000, () => settled('deletePod', manager.deletePod(p)));
    expect(trace).toMatchSnapshot();
  });
});
