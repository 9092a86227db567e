import type { IdempotencyRecord, IdempotencySetOptions, IdempotencyStore } from '../../src/idempotency/index.js';
import type { Clock } from '../../src/ports/clock.js';

/** A tiny manual clock: time moves only through `advance`. Timers fire in due order. */
export class FakeClock implements Clock {
  #now = 0;
  #nextId = 1;
  readonly #timers = new Map<number, { dueAt: number; callback: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { dueAt: this.#now + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = [...this.#timers.entries()]
        .filter(([, t]) => t.dueAt <= target)
        .sort(([a, x], [b, y]) => x.dueAt - y.dueAt || a - b)[0];
      if (due === undefined) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].dueAt;
      due[1].callback();
    }
    this.#now = target;
  }
}

/** A store whose every call is recorded and may be made to fail. */
export class SpyStore implements IdempotencyStore {
  readonly calls: string[] = [];
  failGet: unknown = undefined;
  failSet: unknown = undefined;
  readonly records = new Map<string, IdempotencyRecord>();

  get(key: string): Promise<IdempotencyRecord | undefined> {
    this.calls.push(`get ${key}`);
    if (this.failGet !== undefined) return Promise.reject(this.failGet);
    return Promise.resolve(this.records.get(key));
  }

  set(key: string, record: IdempotencyRecord, options: IdempotencySetOptions): Promise<void> {
    this.calls.push(`set ${key} ttlMs=${String(options.ttlMs)}`);
    if (this.failSet !== undefined) return Promise.reject(this.failSet);
    this.records.set(key, record);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.calls.push(`delete ${key}`);
    this.records.delete(key);
    return Promise.resolve();
  }
}

/** A promise with its resolve/reject exposed, to hold a handler mid-run. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Let every queued microtask (and promise chain) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
