/**
 * Model-based test (STYLE §8, §13): random commands (start, exit with code, kill, delete, advance
 * clock, fail the next postStart) drive a PodWorker with a fake driver; a small reference model of the kubelet's rules
 * (spec pod §3.1 restart policy, §4.2 back-off, §5.1 phase) predicts phase, restartCount, restart
 * instants (so back-off delays) and the number of BackOff events.
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

interface ModelContainer {
  state: 'running' | 'backingOff' | 'done';
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
  now: number;
  deleted: boolean;
  containers: ModelContainer[];
  backOffEvents: number;
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

/** The reference model's restart step (spec pod §4.2 Next). */
function restart(m: Model, c: ModelContainer, at: number): void {
  const ts = c.lastExit?.at ?? at;
  const expired = !c.entry || ts - c.entry.lastUpdate > RESET;
  c.entry = { backOffMs: expired ? INITIAL : Math.min(2 * (c.entry?.backOffMs ?? 0), MAX), lastUpdate: at };
  c.restartCount++;
  c.starts.push(at);
  c.state = 'running';
  delete c.restartAt;
  if (c.failNextPostStart) {
    c.failNextPostStart = false;
    const saved = m.now;
    m.now = at;
    exitModel(m, c, 137);
    m.now = saved;
  }
}

function exitModel(m: Model, c: ModelContainer, code: number): void {
  c.lastExit = { code, at: m.now };
  const restarts = m.policy === 'Always' || (m.policy === 'OnFailure' && code !== 0);
  if (m.deleted || !restarts) {
    c.state = 'done';
    return;
  }
  const inBackOff = c.entry !== undefined && !(m.now - c.entry.lastUpdate > RESET);
  if (inBackOff && c.entry) {
    c.state = 'backingOff';
    c.restartAt = m.now + c.entry.backOffMs;
    m.backOffEvents++;
  } else restart(m, c, m.now);
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
    for (;;) {
      const due = m.containers
        .filter((c) => c.state === 'backingOff' && (c.restartAt ?? Infinity) <= target)
        .sort((a, b) => (a.restartAt ?? 0) - (b.restartAt ?? 0))[0];
      if (!due) break;
      restart(m, due, due.restartAt as number);
    }
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
  )('phase, restartCount, restart instants and BackOff counts follow the model', async (policy, count, commands) => {
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
    const worker = new PodWorker({ pod, driver, clock, onEvent: (e) => events.push(e) });
    worker.start();
    const model: Model = {
      policy,
      now: 0,
      deleted: false,
      backOffEvents: 0,
      containers: names.map(() => ({ state: 'running', restartCount: 0, starts: [0] })),
    };
    await fc.asyncModelRun(() => ({ model, real: { flags, clock, driver, worker, events, names } }), commands);
  });
});
