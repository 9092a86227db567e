import type { IdempotencyRecord, IdempotencySetOptions, IdempotencyStore } from '../../src/idempotency/index.js';

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
