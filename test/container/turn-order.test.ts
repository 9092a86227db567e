/**
 * The microtask turns of a start and a kill, as an embedder can observe them: the turn at which
 * each adapter call is made, each event and step is emitted, and each promise the manager returns
 * settles, counted by a ticker that queues itself once per turn. Round 6 of docs/performance-history.md
 * rewrote the start and kill sequences' async functions as promise chains to allocate less; these
 * traces were recorded from the async-function implementation before that change and pin that the
 * rewrite kept every turn (DESIGN §6: instant adapters, spec §3 start, spec §4.2-C kill).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/api/types.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import type { ContainerRef, ExecResult, Runtime } from '../../src/ports/runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { makePod, RecordingHttpClient } from '../support/manager-harness.js';
import { Ticker } from '../support/turn-ticker.js';

type Fail = 'start' | 'postStart' | 'preStop' | 'stop';

/** Instant adapter calls (already-settled promises); `fail` names the call that rejects or exits 1. */
class TracingRuntime implements Runtime {
  #ids = 0;
  constructor(
    private readonly trace: string[],
    private readonly ticker: Ticker,
    private readonly fail: ReadonlySet<Fail>,
  ) {}
  startContainer(): Promise<{ id: string }> {
    this.trace.push(`${this.ticker.turn} runtime.start`);
    if (this.fail.has('start')) return Promise.reject(new Error('no image'));
    return Promise.resolve({ id: `id${++this.#ids}` });
  }
  exec(_ref: ContainerRef, argv: readonly string[]): Promise<ExecResult> {
    this.trace.push(`${this.ticker.turn} runtime.exec ${argv.join(' ')}`);
    const failing =
      (argv[0] === 'post' && this.fail.has('postStart')) || (argv[0] === 'pre' && this.fail.has('preStop'));
    return Promise.resolve({ exitCode: failing ? 1 : 0, stdout: '', stderr: '' });
  }
  stopContainer(): Promise<void> {
    this.trace.push(`${this.ticker.turn} runtime.stop`);
    if (this.fail.has('stop')) return Promise.reject(new Error('stop failed'));
    return Promise.resolve();
  }
}

const hooked = (name: string): Container => ({
  name,
  lifecycle: { postStart: { exec: { command: ['post'] } }, preStop: { exec: { command: ['pre'] } } },
});

function setup(fail: Fail[] = []) {
  const trace: string[] = [];
  const ticker = new Ticker();
  const clock = new VirtualClock();
  const runtime = new TracingRuntime(trace, ticker, new Set(fail));
  const manager = new LifecycleManager({ runtime, httpClient: new RecordingHttpClient(), clock });
  manager.on('event', (e) => trace.push(`${ticker.turn} event ${e.reason}`));
  manager.on('step', (s) => trace.push(`${ticker.turn} step ${s.kind} ${s.container}`));
  /** Trace when `promise` settles, counting turns from now. */
  const traced = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    ticker.turn = 0;
    ticker.start();
    const promise = work();
    void promise.then(
      (r) => trace.push(`${ticker.turn} ${label} ${(r as { outcome?: string }).outcome ?? 'done'}`),
      () => trace.push(`${ticker.turn} ${label} rejected`),
    );
    await clock.flush();
    while (clock.pendingTimers > 0) await clock.next();
    ticker.stop();
    return promise;
  };
  return { trace, manager, traced };
}

function twoContainers(): Pod {
  return makePod([hooked('a'), hooked('b')]);
}

describe('microtask turns of the start and kill sequences (instant adapters)', () => {
  it('start with postStart, then stop with preStop (spec §3, §4.2-C)', async () => {
    const { trace, manager, traced } = setup();
    const pod = makePod([hooked('web')]);
    await traced('start', () => manager.startContainer(pod, 'web'));
    await traced('stop', () => manager.stopContainer(pod, 'web'));
    expect(trace).toMatchInlineSnapshot(`
      [
        "0 step starting web",
        "0 runtime.start",
        "2 event Started",
        "2 step started web",
        "2 step postStartStarted web",
        "2 runtime.exec post",
        "6 step postStartFinished web",
        "7 step running web",
        "8 start running",
        "0 event Killing",
        "0 step killing web",
        "0 step preStopStarted web",
        "0 runtime.exec pre",
        "6 step preStopFinished web",
        "7 step stopRequested web",
        "7 runtime.stop",
        "9 step exited web",
        "12 stop stopped",
      ]
    `);
  });

  it('deletePod of two containers, killed in parallel (spec §4.2-B)', async () => {
    const { trace, manager, traced } = setup();
    const pod = twoContainers();
    await traced('starts', () => Promise.all([manager.startContainer(pod, 'a'), manager.startContainer(pod, 'b')]));
    await traced('delete', () => manager.deletePod(pod));
    expect(trace).toMatchInlineSnapshot(`
      [
        "0 step starting a",
        "0 runtime.start",
        "0 step starting b",
        "0 runtime.start",
        "2 event Started",
        "2 step started a",
        "2 step postStartStarted a",
        "2 runtime.exec post",
        "2 event Started",
        "2 step started b",
        "2 step postStartStarted b",
        "2 runtime.exec post",
        "6 step postStartFinished a",
        "6 step postStartFinished b",
        "7 step running a",
        "7 step running b",
        "9 starts done",
        "0 event Killing",
        "0 step killing a",
        "0 step preStopStarted a",
        "0 runtime.exec pre",
        "0 event Killing",
        "0 step killing b",
        "0 step preStopStarted b",
        "0 runtime.exec pre",
        "6 step preStopFinished a",
        "6 step preStopFinished b",
        "7 step stopRequested a",
        "7 runtime.stop",
        "7 step stopRequested b",
        "7 runtime.stop",
        "9 step exited a",
        "9 step exited b",
        "15 delete done",
      ]
    `);
  });

  it('a failed postStart kills the container (spec §3.5)', async () => {
    const { trace, manager, traced } = setup(['postStart']);
    await traced('start', () => manager.startContainer(makePod([hooked('web')]), 'web'));
    expect(trace).toMatchInlineSnapshot(`
      [
        "0 step starting web",
        "0 runtime.start",
        "2 event Started",
        "2 step started web",
        "2 step postStartStarted web",
        "2 runtime.exec post",
        "6 step postStartFinished web",
        "7 event FailedPostStartHook",
        "7 event Killing",
        "7 step killing web",
        "7 step preStopStarted web",
        "7 runtime.exec pre",
        "13 step preStopFinished web",
        "14 step stopRequested web",
        "14 runtime.stop",
        "16 step exited web",
        "20 start postStartFailed",
      ]
    `);
  });

  it('a failed runtime start, a failed preStop and a failed stop (spec §3, §4.2-C.5, §4.2-C.8)', async () => {
    const failedStart = setup(['start']);
    await failedStart.traced('start', () => failedStart.manager.startContainer(makePod([hooked('web')]), 'web'));
    const failedKill = setup(['preStop', 'stop']);
    const pod = makePod([hooked('web')]);
    await failedKill.traced('start', () => failedKill.manager.startContainer(pod, 'web'));
    await failedKill.traced('stop', () => failedKill.manager.stopContainer(pod, 'web'));
    expect([...failedStart.trace, '--', ...failedKill.trace]).toMatchInlineSnapshot(`
      [
        "0 step starting web",
        "0 runtime.start",
        "2 event Failed",
        "2 step startFailed web",
        "3 start startFailed",
        "--",
        "0 step starting web",
        "0 runtime.start",
        "2 event Started",
        "2 step started web",
        "2 step postStartStarted web",
        "2 runtime.exec post",
        "6 step postStartFinished web",
        "7 step running web",
        "8 start running",
        "0 event Killing",
        "0 step killing web",
        "0 step preStopStarted web",
        "0 runtime.exec pre",
        "4 event FailedPreStopHook",
        "6 step preStopFinished web",
        "7 step stopRequested web",
        "7 runtime.stop",
        "9 step stopFailed web",
        "12 stop stopFailed",
      ]
    `);
  });

  it('a container without hooks: start, then stop (spec §3, §4.2-C)', async () => {
    const { trace, manager, traced } = setup();
    const pod = makePod([{ name: 'plain' }]);
    await traced('start', () => manager.startContainer(pod, 'plain'));
    await traced('stop', () => manager.stopContainer(pod, 'plain'));
    expect(trace).toMatchInlineSnapshot(`
      [
        "0 step starting plain",
        "0 runtime.start",
        "2 event Started",
        "2 step started plain",
        "3 step running plain",
        "4 start running",
        "0 event Killing",
        "0 step killing plain",
        "0 step stopRequested plain",
        "0 runtime.stop",
        "2 step exited plain",
        "3 stop stopped",
      ]
    `);
  });
});
