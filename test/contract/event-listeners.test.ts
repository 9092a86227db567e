/**
 * Black-box contract: Events: once()/on() of one listener, listener errors isolated (DESIGN §7).
 * Exercised only through the public barrels with hand-written adapters (test/support/scripted-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../src/index.js';
import { execHook, makePod, run, setup } from '../support/scripted-adapters.js';

// =============================================================================================
// 6. Events
// =============================================================================================

describe('6. events: once()/on() and listener isolation (DESIGN §7 "A throwing listener never breaks the manager")', () => {
  const onePod = () => makePod([{ name: 'web' }]);

  it('the same function registered with on() and once(): called twice for the first event, once for every later one', async () => {
    for (const order of ['on-first', 'once-first'] as const) {
      const { clock, manager } = setup();
      const seen: string[] = [];
      const listener = (e: KubeEvent): void => void seen.push(e.reason);
      if (order === 'on-first') manager.on('event', listener).once('event', listener);
      else manager.once('event', listener).on('event', listener);
      const pod = onePod();
      await run(clock, manager.startContainer(pod, 'web')); // Started
      await run(clock, manager.stopContainer(pod, 'web')); // Killing
      await run(clock, manager.startContainer(pod, 'web')); // Started
      expect(seen, order).toEqual(['Started', 'Started', 'Killing', 'Started']);
    }
  });

  it('once() twice with the same function: two calls for the first event, none after', async () => {
    const { clock, manager } = setup();
    const seen: string[] = [];
    const listener = (e: KubeEvent): void => void seen.push(e.reason);
    manager.once('event', listener).once('event', listener);
    const pod = onePod();
    await run(clock, manager.startContainer(pod, 'web'));
    await run(clock, manager.stopContainer(pod, 'web'));
    expect(seen).toEqual(['Started', 'Started']);
  });

  it('off() after on()+once() of one function leaves exactly one registration', async () => {
    const { clock, manager } = setup();
    const seen: string[] = [];
    const listener = (e: KubeEvent): void => void seen.push(e.reason);
    manager.on('event', listener).once('event', listener).off('event', listener);
    const pod = onePod();
    await run(clock, manager.startContainer(pod, 'web'));
    await run(clock, manager.stopContainer(pod, 'web'));
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.filter((r) => r === 'Started')).toHaveLength(1);
  });

  it('a throwing event listener: later listeners still get the event, the result is unchanged, listenerError reports it with "event"', async () => {
    const { clock, runtime, manager } = setup();
    runtime.execs.set('/bin/pre', { kind: 'result', afterMs: 2_000, result: { exitCode: 0 } });
    const boom = new Error('listener bug');
    const errors: Array<[unknown, string]> = [];
    const after: string[] = [];
    manager.on('event', () => {
      throw boom;
    });
    manager.on('event', (e) => void after.push(e.reason));
    manager.on('listenerError', (error, name) => void errors.push([error, name]));
    const pod = makePod([{ name: 'web', lifecycle: { preStop: execHook('/bin/pre') } }]);
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({
      outcome: 'stopped',
      stopTimeoutSeconds: 28,
    });
    expect(after).toEqual(['Started', 'Killing']);
    expect(errors).toEqual([
      [boom, 'event'],
      [boom, 'event'],
    ]);
  });

  it('a throwing step listener and a throwing listenerError listener break nothing; non-Error throws are reported too', async () => {
    const { clock, manager, events } = setup();
    const errors: Array<[unknown, string]> = [];
    manager.on('step', () => {
      throw 'a string';
    }); // eslint-disable-line no-throw-literal
    manager.on('listenerError', () => {
      throw new Error('listenerError listener bug');
    });
    manager.on('listenerError', (error, name) => void errors.push([error, name]));
    const pod = onePod();
    expect(await run(clock, manager.startContainer(pod, 'web'))).toMatchObject({ outcome: 'running' });
    expect(await run(clock, manager.stopContainer(pod, 'web'))).toMatchObject({ outcome: 'stopped' });
    expect(events.map((e) => e.reason)).toEqual(['Started', 'Killing']);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every(([error, name]) => error === 'a string' && name === 'step')).toBe(true);
    expect(manager.status(pod, 'web').state).toBe('Terminated');
  });

  it('a once() listener that throws is still removed, and the throw reported once', async () => {
    const { clock, manager } = setup();
    let calls = 0;
    const errors: unknown[] = [];
    manager.once('event', () => {
      calls++;
      throw new Error('once bug');
    });
    manager.on('listenerError', (e) => void errors.push(e));
    const pod = onePod();
    await run(clock, manager.startContainer(pod, 'web'));
    await run(clock, manager.stopContainer(pod, 'web'));
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
