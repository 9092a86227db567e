import { EventEmitter } from 'eventemitter3';
import type { KubeEvent } from './events.js';
import type { LifecycleStep } from './results.js';

/** The manager's events: Kubernetes events, internal steps, and listener failures. */
export interface LifecycleManagerEvents {
  /** A Kubernetes event (spec §7), as `kubectl describe` would list it. */
  event: [event: KubeEvent];
  /** An internal step (hook started, stop requested, …), for timelines and trace checks. */
  step: [step: LifecycleStep];
  /** A listener threw; the manager carried on. Throwing here is ignored. */
  listenerError: [error: unknown, eventName: 'event' | 'step'];
}

type EventName = keyof LifecycleManagerEvents;
type Listener<K extends EventName> = (...args: LifecycleManagerEvents[K]) => void;
type AnyListener = (...args: unknown[]) => void;

/**
 * Typed, fault-isolating event hub: each listener runs in its own try/catch, so a throwing
 * listener neither breaks the manager nor hides the event from later listeners.
 */
export class EventHub {
  readonly #emitter = new EventEmitter();
  readonly #wrapped = new Map<EventName, WeakMap<AnyListener, AnyListener[]>>();

  on<K extends EventName>(name: K, listener: Listener<K>, once = false): void {
    const fn = listener as AnyListener;
    const wrapper: AnyListener = (...args) => {
      if (once) this.off(name, listener);
      try {
        fn(...args);
      } catch (error) {
        if (name !== 'listenerError') this.emit('listenerError', error, name as 'event' | 'step');
      }
    };
    let byName = this.#wrapped.get(name);
    if (byName === undefined) this.#wrapped.set(name, (byName = new WeakMap()));
    const list = byName.get(fn) ?? [];
    list.push(wrapper);
    byName.set(fn, list);
    this.#emitter.on(name, wrapper);
  }

  off<K extends EventName>(name: K, listener: Listener<K>): void {
    const list = this.#wrapped.get(name)?.get(listener as AnyListener);
    const wrapper = list?.shift();
    if (wrapper !== undefined) this.#emitter.off(name, wrapper);
  }

  emit<K extends EventName>(name: K, ...args: LifecycleManagerEvents[K]): void {
    this.#emitter.emit(name, ...args);
  }

  hasListeners(name: EventName): boolean {
    return this.#emitter.listenerCount(name) > 0;
  }
}
