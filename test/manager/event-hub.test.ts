/**
 * EventHub: `hasListeners` is a counter kept by on/off (the manager skips building events and
 * steps nobody listens to), and a throwing listener is isolated and reported on `listenerError`.
 */
import { describe, expect, it } from 'vitest';
import type { LifecycleStep } from '../../src/container/results.js';
import type { KubeEvent } from '../../src/hooks/events.js';
import { EventHub } from '../../src/manager/event-hub.js';

const event: KubeEvent = {
  type: 'Normal',
  reason: 'Killing',
  message: 'Stopping container web',
  object: { kind: 'Pod', name: 'p', namespace: 'default' },
  timestamp: 0,
};
const step: LifecycleStep = {
  kind: 'stopRequested',
  time: 0,
  pod: { name: 'p', namespace: 'default', uid: 'u' },
  container: 'web',
};

const listening = (hub: EventHub): { event: boolean; step: boolean; listenerError: boolean } => ({
  event: hub.hasListeners('event'),
  step: hub.hasListeners('step'),
  listenerError: hub.hasListeners('listenerError'),
});

describe('EventHub.hasListeners (a counter kept by on/off)', () => {
  it('starts with no listeners; on and off move it, for event and step independently', () => {
    const hub = new EventHub();
    const onEvent = (): void => undefined;
    const onStep = (): void => undefined;
    expect(listening(hub)).toEqual({ event: false, step: false, listenerError: false });
    hub.on('event', onEvent);
    expect(listening(hub)).toEqual({ event: true, step: false, listenerError: false });
    hub.on('step', onStep);
    expect(listening(hub)).toEqual({ event: true, step: true, listenerError: false });
    hub.off('event', onEvent);
    expect(listening(hub)).toEqual({ event: false, step: true, listenerError: false });
    hub.off('step', onStep);
    expect(listening(hub)).toEqual({ event: false, step: false, listenerError: false });
  });

  it('one function on both event and step counts once on each; off on one name leaves the other', () => {
    const hub = new EventHub();
    const both = (): void => undefined;
    hub.on('event', both);
    hub.on('step', both);
    hub.off('step', both);
    expect(listening(hub)).toEqual({ event: true, step: false, listenerError: false });
    hub.off('step', both); // no longer on 'step': no change, and 'event' keeps it
    expect(listening(hub)).toEqual({ event: true, step: false, listenerError: false });
  });

  it('a once listener counts until its first call, then removes itself', () => {
    const hub = new EventHub();
    const seen: LifecycleStep[] = [];
    hub.on('step', (s) => seen.push(s), true);
    expect(hub.hasListeners('step')).toBe(true);
    hub.emit('step', step);
    expect(hub.hasListeners('step')).toBe(false);
    hub.emit('step', step);
    expect(seen).toEqual([step]);
    expect(hub.hasListeners('event')).toBe(false);
  });

  it('a once listener that throws still removes itself', () => {
    const hub = new EventHub();
    let calls = 0;
    hub.on(
      'event',
      () => {
        calls++;
        throw new Error('once and broken');
      },
      true,
    );
    hub.emit('event', event);
    hub.emit('event', event);
    expect(calls).toBe(1);
    expect(hub.hasListeners('event')).toBe(false);
  });

  it('a once listener taken off before it fires is gone, and does not count twice', () => {
    const hub = new EventHub();
    let calls = 0;
    const listener = (): void => {
      calls++;
    };
    hub.on('event', listener, true);
    hub.off('event', listener);
    expect(hub.hasListeners('event')).toBe(false);
    hub.emit('event', event);
    expect(calls).toBe(0);
    hub.on('event', () => undefined);
    expect(hub.hasListeners('event')).toBe(true);
  });

  it('the same listener added twice counts twice: one off leaves it listening, once per emit', () => {
    const hub = new EventHub();
    let calls = 0;
    const listener = (): void => {
      calls++;
    };
    hub.on('event', listener);
    hub.on('event', listener);
    hub.emit('event', event);
    expect(calls).toBe(2);
    hub.off('event', listener);
    expect(hub.hasListeners('event')).toBe(true);
    calls = 0;
    hub.emit('event', event);
    expect(calls).toBe(1);
    hub.off('event', listener);
    expect(hub.hasListeners('event')).toBe(false);
  });

  it('off of a listener never added, or already removed, changes nothing (the count never goes below zero)', () => {
    const hub = new EventHub();
    const added = (): void => undefined;
    const stranger = (): void => undefined;
    hub.off('event', stranger); // on an empty hub
    expect(hub.hasListeners('event')).toBe(false);
    hub.on('event', added);
    hub.off('event', stranger);
    hub.off('step', added);
    expect(listening(hub)).toEqual({ event: true, step: false, listenerError: false });
    hub.off('event', added);
    hub.off('event', added);
    hub.off('event', added);
    expect(hub.hasListeners('event')).toBe(false);
    // Had the extra offs counted, one new listener would leave the count at or below zero.
    hub.on('event', stranger);
    expect(hub.hasListeners('event')).toBe(true);
    hub.on('step', stranger);
    expect(hub.hasListeners('step')).toBe(true);
  });

  it('listenerError listeners are counted too', () => {
    const hub = new EventHub();
    const onError = (): void => undefined;
    hub.on('listenerError', onError);
    expect(listening(hub)).toEqual({ event: false, step: false, listenerError: true });
    hub.off('listenerError', onError);
    expect(hub.hasListeners('listenerError')).toBe(false);
  });
});

describe('EventHub fault isolation', () => {
  it('a throwing listener is reported on listenerError with the event name, and later listeners still get the event', () => {
    const hub = new EventHub();
    const errors: Array<[unknown, string]> = [];
    const received: string[] = [];
    hub.on('listenerError', (error, name) => errors.push([error, name]));
    const eventFailure = new Error('event listener broke');
    const stepFailure = new Error('step listener broke');
    hub.on('event', () => received.push('event 1'));
    hub.on('event', () => {
      throw eventFailure;
    });
    hub.on('event', (e) => received.push(`event 3: ${e.reason}`));
    hub.on('step', () => {
      throw stepFailure;
    });
    hub.on('step', (s) => received.push(`step 2: ${s.kind}`));

    hub.emit('event', event);
    hub.emit('step', step);
    expect(received).toEqual(['event 1', 'event 3: Killing', 'step 2: stopRequested']);
    expect(errors).toEqual([
      [eventFailure, 'event'],
      [stepFailure, 'step'],
    ]);
    expect(errors[0]![0]).toBe(eventFailure);
  });

  it('a throwing listenerError listener is ignored: emit does not throw and other listeners run', () => {
    const hub = new EventHub();
    const reported: unknown[] = [];
    hub.on('listenerError', () => {
      throw new Error('the error handler broke too');
    });
    hub.on('listenerError', (error) => reported.push(error));
    const failure = new Error('broken');
    hub.on('step', () => {
      throw failure;
    });
    expect(() => hub.emit('step', step)).not.toThrow();
    expect(reported).toEqual([failure]);
  });

  it('a throwing listener with nobody on listenerError does not break emit', () => {
    const hub = new EventHub();
    let after = 0;
    hub.on('event', () => {
      throw new Error('unreported');
    });
    hub.on('event', () => {
      after++;
    });
    expect(() => hub.emit('event', event)).not.toThrow();
    expect(after).toBe(1);
  });
});

describe('EventHub: the same function added with on() and once()', () => {
  it('the once registration removes itself, not the permanent one', () => {
    const hub = new EventHub();
    let calls = 0;
    const listener = (): void => {
      calls++;
    };
    hub.on('step', listener);
    hub.on('step', listener, true);
    const perEmit: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = calls;
      hub.emit('step', { kind: 'starting' } as never);
      perEmit.push(calls - before);
    }
    expect(perEmit).toEqual([2, 1, 1]);
    expect(hub.hasListeners('step')).toBe(true);
  });
});
