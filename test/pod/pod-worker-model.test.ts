/**
 * Model-based test (STYLE §8, §13): random commands (start, exit with code, kill, delete, advance
 * clock, fail the next postStart) drive a PodWorker with a fake driver; a small reference model of
 * the kubelet's rules (spec pod §3.1 restart policy, §4.2 back-off, §4.3 requeue, §4.5 one
 * `BackOff` per sync that finds a back-off, §5.1 phase) predicts phase, restartCount, restart
 * instants (so back-off delays) and the number of BackOff events, for both requeue policies and
 * several `syncFrequency` values.
 */
import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { KubeEvent } from '../../src/hooks/events.js';
import { PodWorker } from '../../src/pod/pod-worker.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { FakeDriver, podOf } from './fake-driver.js';

const INITIAL = 10_000;
const MAX = 300_000;
const RESET = 600_000;
/** The kubelet's `backOffPeriod`: the requeue of a failed sync before 1.35 (spec pod §4.3, §8 item 2). */
const ERROR_RETRY = 10_000;

interface ModelContainer {
  /** `exited`: exited, restartable, not yet seen by a sync (transient inside a command). */
  state: 'running' | 'exited' | 'backingOff' | 'done';
  restartCount: number;
  lastExit?: { code: number; at: number };
  restartAt?: number;
  entry?: { backOffMs: number; lastUpdate: number };
  starts: number[];
  /** The next start's postStart fails: the driver kills it at once (exit 137, spec pod §4.7). */
  failNextPostStart?: boolean;
}

interface Model {
  policy: 'Always' | 'OnFailure' | 'Never';
  requeue: 'backoffAligned' | 'fixed10s';
  /** `syncFrequency` in ms: the longest a pod in back-off waits for its next sync (spec pod §4.3). */
  resyncMs: number;
  now: number;
  deleted: boolean;
  containers: ModelContainer[];
  backOffEvents: number;
  /** The requeued sync of a pod in back-off (spec pod §4.3). */
  nextSyncAt?: number;
  terminal?: 'Succeeded' | 'Failed';
}

interface Real {
  flags: Set<string>;
  clock: VirtualClock;
  driver: FakeDriver;
  worker: PodWorker;
  events: KubeEvent[];
  names: string[];
}

/** The kubelet's housekeeping `GC()`: an entry not updated for more than 600 s is gone (spec pod §4.2). */
function collect(c: ModelContainer, at: number): void {
  if (c.entry && at - c.entry.lastUpdate > RESET) delete c.entry;
}

/** The reference model's restart step (spec pod §4.2 Next). */
function restart(m: Model, c: ModelContainer, at: number): void {
  collect(c, at);
  const ts = c.lastExit?.at ?? at;
  const expired = !c.entry || ts - c.entry.lastUpdate > RESET;
  c.entry = { backOffMs: expired ? INITIAL : Math.min(2 * (c.entry?.backOffMs ?? 0), MAX), lastUpdate: at };
  c.restartCount++;
  c.starts.push(at);
  c.state = 'running';
  delete c.restartAt;
  if (c.failNextPostStart) {
    c.failNextPostStart = false;
    recordExit(m, c, 137, at);
  }
}

function recordExit(m: Model, c: ModelContainer, code: number, at: number): void {
  c.lastExit = { code, at };
  const restarts = m.policy === 'Always' || (m.policy === 'OnFailure' && code !== 0);
  c.state = m.deleted || !restarts ? 'done' : 'exited';
}

/**
 * One sync at `at` (spec pod §4.2 doBackOff, §4.5): every restartable exited container is either
 * restarted or found in back-off, which emits `BackOff` (every sync, not once per wait); a pod
 * with a container in back-off is synced again at the expiry or after 60 s (spec pod §4.3).
 */
function sync(m: Model, at: number): void {
  if (m.deleted) return;
  delete m.nextSyncAt;
  const skip = new Set<ModelContainer>();
  for (let again = true; again; ) {
    again = false;
    for (const c of m.containers) {
      if ((c.state !== 'exited' && c.state !== 'backingOff') || skip.has(c)) continue;
      const ts = c.lastExit?.at ?? at;
      collect(c, at);
      const entry = c.entry;
      if (entry && !(ts - entry.lastUpdate > RESET) && at - ts < entry.backOffMs) {
        c.state = 'backingOff';
        c.restartAt = ts + entry.backOffMs;
        m.backOffEvents++;
        skip.add(c);
      } else {
        restart(m, c, at);
        again = true; // a postStart failure exits at once: the same sync looks at it again
      }
    }
  }
  for (const c of m.containers) {
    if (c.state !== 'backingOff') continue;
    const wait = m.requeue === 'fixed10s' ? ERROR_RETRY : Math.max(0, (c.restartAt as number) - at);
    const next = at + Math.min(wait, m.resyncMs);
    m.nextSyncAt = Math.min(m.nextSyncAt ?? Infinity, next);
  }
}

function exitModel(m: Model, c: ModelContainer, code: number): void {
  recordExit(m, c, code, m.now);
  sync(m, m.now);
}

function modelPhase(m: Model): string {
  if (m.terminal) return m.terminal;
  const cs = m.containers;
  if (cs.some((c) => c.state === 'running')) return 'Running';
  const allZero = cs.every((c) => c.lastExit?.code === 0);
  if (!m.deleted && cs.some((c) => c.state === 'backingOff')) return 'Running';
  m.terminal = allZero ? 'Succeeded' : 'Failed';
  return m.terminal;
}

async function check(m: Model, r: Real): Promise<void> {
  await r.clock.advance(0);
  const status = r.worker.status();
  expect(status.phase).toBe(modelPhase(m));
  m.containers.forEach((c, i) => {
    const name = r.names[i] as string;
    const s = status.containerStatuses[i];
    expect(s?.restartCount).toBe(c.restartCount);
    expect(r.driver.starts.filter((x) => x.name === name).map((x) => x.at)).toEqual(c.starts);
    if (c.state === 'backingOff') {
      const seconds = (c.entry?.backOffMs ?? 0) / 1000;
      const go = seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
      expect(s?.state.waiting?.message).toBe(
        `back-off ${go} restarting failed container=${name} pod=web_default(uid-web)`,
      );
    } else expect(s?.state.waiting).toBeUndefined();
  });
  expect(r.events.filter((e) => e.reason === 'BackOff')).toHaveLength(m.backOffEvents);
}

class ExitCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly code: number,
  ) {}
  check(m: Readonly<Model>): boolean {
    return m.containers[this.index]?.state === 'running';
  }
  async run(m: Model, r: Real): Promise<void> {
    r.driver.exit(r.names[this.index] as string, this.code);
    exitModel(m, m.containers[this.index] as ModelContainer, this.code);
    await check(m, r);
  }
  toString(): string {
    return `exit(${this.index}, ${this.code})`;
  }
}

class KillCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check(m: Readonly<Model>): boolean {
    return m.containers[this.index]?.state === 'running';
  }
  async run(m: Model, r: Real): Promise<void> {
    await r.driver.kill(r.names[this.index] as string, { reason: 'LivenessProbe' });
    exitModel(m, m.containers[this.index] as ModelContainer, 137);
    await check(m, r);
  }
  toString(): string {
    return `kill(${this.index})`;
  }
}

class FailPostStartCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check(m: Readonly<Model>): boolean {
    return m.containers[this.index] !== undefined && !m.deleted;
  }
  async run(m: Model, r: Real): Promise<void> {
    r.flags.add(r.names[this.index] as string);
    (m.containers[this.index] as ModelContainer).failNextPostStart = true;
    await check(m, r);
  }
  toString(): string {
    return `failNextPostStart(${this.index})`;
  }
}

class DeleteCommand implements fc.AsyncCommand<Model, Real> {
  check(m: Readonly<Model>): boolean {
    return !m.deleted && !m.terminal;
  }
  async run(m: Model, r: Real): Promise<void> {
    r.worker.stop();
    m.deleted = true;
    delete m.nextSyncAt;
    for (const c of m.containers) {
      if (c.state === 'backingOff') {
        c.state = 'done';
        delete c.restartAt;
      }
    }
    await check(m, r);
  }
  toString(): string {
    return 'delete';
  }
}

class AdvanceCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const target = m.now + this.ms;
    while (m.nextSyncAt !== undefined && m.nextSyncAt <= target) sync(m, m.nextSyncAt);
    m.now = target;
    await r.clock.advance(this.ms);
    await check(m, r);
  }
  toString(): string {
    return `advance(${this.ms})`;
  }
}

describe('PodWorker against a reference model (spec pod §3.1, §4.2, §5.1)', () => {
  propTest.prop(
    [
      fc.constantFrom('Always' as const, 'OnFailure' as const, 'Never' as const),
      fc.integer({ min: 1, max: 2 }),
      fc.record({
        requeue: fc.constantFrom('backoffAligned' as const, 'fixed10s' as const),
        syncFrequencySeconds: fc.constantFrom(60, 15, 4),
      }),
      fc.commands(
        [
          fc
            .tuple(fc.integer({ min: 0, max: 1 }), fc.constantFrom(0, 1, 2, 137))
            .map(([i, code]) => new ExitCommand(i, code)),
          fc.integer({ min: 0, max: 1 }).map((i) => new KillCommand(i)),
          fc.constant(new DeleteCommand()),
          fc.integer({ min: 0, max: 1 }).map((i) => new FailPostStartCommand(i)),
          fc
            .oneof(fc.integer({ min: 0, max: 30_000 }), fc.constantFrom(10_000, 20_000, 300_000, 600_000, 700_000))
            .map((ms) => new AdvanceCommand(ms)),
        ],
        { maxCommands: 40 },
      ),
    ],
    { numRuns: 150 },
  )(
    'phase, restartCount, restart instants and BackOff counts follow the model',
    async (policy, count, requeue, commands) => {
      const clock = new VirtualClock();
      const names = ['a', 'b'].slice(0, count);
      const pod = podOf(
        names.map((name) => ({ name, image: `${name}:1` })),
        { restartPolicy: policy },
      );
      const flags = new Set<string>();
      const postStartFails = (name: string) => () => flags.delete(name);
      const driver = new FakeDriver(
        clock,
        pod,
        Object.fromEntries(names.map((n) => [n, { postStartFails: postStartFails(n) }])),
      );
      const events: KubeEvent[] = [];
      const worker = new PodWorker({ pod, driver, clock, crashLoopBackOff: requeue, onEvent: (e) => events.push(e) });
      worker.start();
      await clock.advance(0); // the first sync has started every container
      const model: Model = {
        policy,
        requeue: requeue.requeue,
        resyncMs: requeue.syncFrequencySeconds * 1000,
        now: 0,
        deleted: false,
        backOffEvents: 0,
        containers: names.map(() => ({ state: 'running', restartCount: 0, starts: [0] })),
      };
      await fc.asyncModelRun(() => ({ model, real: { flags, clock, driver, worker, events, names } }), commands);
    },
  );
});
