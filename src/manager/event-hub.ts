import { EventEmitter } from 'eventemitter3';
import type { EventSink, LifecycleManagerEvents } from '../container/context.js';
import { InvalidArgumentError } from '../errors.js';

type EventName = keyof LifecycleManagerEvents;
type Listener<K extends EventName> = (...args: LifecycleManagerEvents[K]) => void;
type AnyListener = (...args: unknown[]) => void;

/**
 * Typed, fault-isolating event hub: each listener runs in its own try/catch, so a throwing
 * listener neither breaks the manager nor hides the event from later listeners.
 */
export class EventHub implements EventSink {
  readonly #emitter = new EventEmitter();
  readonly #wrapped = new Map<EventName, WeakMap<AnyListener, AnyListener[]>>();
  /** Listeners per event name, kept here so that {@link hasListeners} is a field read. */
  readonly #counts: Record<EventName, number> = { event: 0, step: 0, podStatus: 0, listenerError: 0 };

  on<K extends EventName>(name: K, listener: Listener<K>, once = false): void {
    checkArguments(name, listener);
    const fn = listener as AnyListener;
    const wrapper: AnyListener = (...args) => {
      // A `once` wrapper removes itself, not the oldest registration of the same function.
      if (once) this.#remove(name, fn, wrapper);
      try {
        fn(...args);
      } catch (error) {
        if (name !== 'listenerError') this.emit('listenerError', error, name as 'event' | 'step' | 'podStatus');
      }
    };
    let byName = this.#wrapped.get(name);
    if (byName === undefined) {
      byName = new WeakMap();
      this.#wrapped.set(name, byName);
    }
    const list = byName.get(fn) ?? [];
    list.push(wrapper);
    byName.set(fn, list);
    this.#emitter.on(name, wrapper);
    this.#counts[name]++;
  }

  off<K extends EventName>(name: K, listener: Listener<K>): void {
    checkArguments(name, listener);
    const wrapper = this.#wrapped.get(name)?.get(listener as AnyListener)?.[0];
    if (wrapper !== undefined) this.#remove(name, listener as AnyListener, wrapper);
  }

  /** Remove one registration (`wrapper`) of `fn`; a no-op if it is already gone. */
  #remove(name: EventName, fn: AnyListener, wrapper: AnyListener): void {
    const list = this.#wrapped.get(name)?.get(fn);
    const index = list?.indexOf(wrapper) ?? -1;
    if (list === undefined || index < 0) return;
    list.splice(index, 1);
    this.#emitter.off(name, wrapper);
    this.#counts[name]--;
  }

  emit<K extends EventName>(name: K, ...args: LifecycleManagerEvents[K]): void {
    this.#emitter.emit(name, ...args);
  }

  hasListeners(name: EventName): boolean {
    return this.#counts[name] > 0;
  }
}

/** Every event name, checked complete by the compiler (a new event cannot be left out here). */
const EVENT_NAME_SET: Record<EventName, true> = { event: true, step: true, podStatus: true, listenerError: true };
const EVENT_NAMES = Object.keys(EVENT_NAME_SET) as readonly EventName[];

/** `on`/`once`/`off` arguments: a known event name and a function, else `InvalidArgumentError`. */
function checkArguments(name: unknown, listener: unknown): void {
  if (!EVENT_NAMES.includes(name as EventName)) {
    throw new InvalidArgumentError('name', name, `one of ${EVENT_NAMES.map((n) => `"${n}"`).join(', ')}`);
  }
  if (typeof listener !== 'function') {
    throw new InvalidArgumentError('listener', listener, `a function to call with each "${String(name)}"`);
  }
}
