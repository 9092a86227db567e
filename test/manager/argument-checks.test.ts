// Every public method of LifecycleManager answers a bad argument with a typed error that says what
// it expected and what came (issue 18; DESIGN §6: never a raw TypeError).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { InvalidArgumentError, LifecycleError, PodTerminatingError } from '../../src/errors.js';
import { LifecycleManager } from '../../src/manager/lifecycle-manager.js';
import { FakeHttpClient } from '../../src/testing/fake-http-client.js';
import { FakeRuntime } from '../../src/testing/fake-runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: {
    containers: [
      { name: 'web', image: 'nginx' },
      { name: 'side', image: 'busybox' },
    ],
  },
};

function setup() {
  const clock = new VirtualClock();
  const runtime = new FakeRuntime({ clock });
  const manager = new LifecycleManager({ runtime, httpClient: new FakeHttpClient({ clock }), clock });
  return { clock, runtime, manager };
}

// biome-ignore lint/suspicious/noExplicitAny: deliberately ill-typed calls, as from JavaScript
type Loose = any;

describe('LifecycleManager argument checks (issue 18)', () => {
  it.each([
    ['null', null],
    ['a number', 7],
    ['a string', 'now'],
  ])('deletePod(pod, %s) rejects with InvalidArgumentError naming options', async (_label, options) => {
    const { manager } = setup();
    const rejection = manager.deletePod(pod, options as Loose);
    await expect(rejection).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(rejection).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', argument: 'options' });
    await expect(rejection).rejects.toThrow(/options: expected an object of DeleteOptions \(or nothing\), got /);
  });

  it('deletePod(pod) and deletePod(pod, undefined) still take the defaults', async () => {
    const { manager, clock } = setup();
    const done = manager.deletePod(pod, undefined);
    await clock.runAll();
    await expect(done).resolves.toBeDefined();
  });

  it.each([
    ['on', 42],
    ['on', null],
    ['once', undefined],
    ['off', 'listener'],
  ] as const)('%s(event, %s) throws InvalidArgumentError naming the listener', (method, listener) => {
    const { manager } = setup();
    expect(() => (manager[method] as Loose)('event', listener)).toThrow(InvalidArgumentError);
    expect(() => (manager[method] as Loose)('event', listener)).toThrow(
      /^listener: expected a function to call with each "event", got /,
    );
  });

  it('on(<unknown event name>) throws InvalidArgumentError listing the names', () => {
    const { manager } = setup();
    expect(() => manager.on('evnt' as Loose, () => undefined)).toThrow(
      'name: expected one of "event", "step", "podStatus", "listenerError", got "evnt"',
    );
  });

  it.each([
    ['stopContainer', (m: LifecycleManager) => m.stopContainer(pod, 'web', null as Loose)],
    ['startContainer', (m: LifecycleManager) => m.startContainer(pod, 42 as Loose)],
  ])('%s with a bad argument rejects (not throws) with InvalidArgumentError', async (_name, call) => {
    const { manager } = setup();
    await expect(call(manager)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('status and notifyExited throw InvalidArgumentError for a non-string name or a missing exit', () => {
    const { manager } = setup();
    expect(() => manager.status(pod, undefined as Loose)).toThrow(
      'containerName: expected the name of a container of the pod (a string), got undefined',
    );
    expect(() => manager.notifyExited(pod, 'web', null as Loose)).toThrow(
      'exit: expected an object { exitCode: <integer> }, got null',
    );
  });
});

describe('startContainer during deletion (issue 18, spec §4.1)', () => {
  it('a running container of a terminating pod: PodTerminatingError, not already running', async () => {
    const { manager, clock, runtime } = setup();
    runtime.onStop('web', { exitsOn: [] }); // keeps running through the grace
    await manager.startContainer(pod, 'web');
    void manager.deletePod(pod);
    const start = manager.startContainer(pod, 'web');
    await expect(start).rejects.toBeInstanceOf(PodTerminatingError);
    await expect(start).rejects.toMatchObject({ code: 'ERR_INVALID_STATE', podName: 'p', containerName: 'web' });
    await expect(start).rejects.toThrow(
      /^cannot start container "web": pod "p" is being deleted \(or was deleted\), and the kubelet starts no containers/,
    );
    await expect(start).rejects.not.toThrow(/already running/);
    await clock.runAll();
  });

  it('a container that never started in a terminating pod gets the same error', async () => {
    const { manager, clock } = setup();
    await manager.startContainer(pod, 'web');
    void manager.deletePod(pod);
    await expect(manager.startContainer(pod, 'side')).rejects.toBeInstanceOf(PodTerminatingError);
    await clock.runAll();
  });

  it('starting a running container of a live pod still says it is already running', async () => {
    const { manager } = setup();
    await manager.startContainer(pod, 'web');
    const again = manager.startContainer(pod, 'web');
    await expect(again).rejects.toBeInstanceOf(LifecycleError);
    await expect(again).rejects.not.toBeInstanceOf(PodTerminatingError);
    await expect(again).rejects.toThrow(/is already running/);
  });
});
