/**
 * idempotent() with a claiming store (DESIGN §13), on a virtual clock: replicas sharing one store
 * never run a delivery at once within the lease; busy duplicates poll, replay, or take over when
 * the claim is released or its lease ends; store faults are typed, never a hang or a silent run.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  type IdempotencyClaim,
  type IdempotencyClaimOptions,
  type IdempotencyRecord,
  type IdempotencySetOptions,
  type IdempotencyStore,
  IdempotencyStoreError,
  idempotent,
  MemoryIdempotencyStore,
} from '../../src/idempotency/index.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { settle } from '../support/settle.js';
import { deferred } from './helpers.js';

/** A MemoryIdempotencyStore whose calls are logged and may be made to fail. */
class ClaimSpy implements IdempotencyStore {
  readonly calls: string[] = [];
  readonly fail: Partial<Record<'claim' | 'release' | 'set' | 'get', unknown>> = {};
  constructor(readonly inner: MemoryIdempotencyStore) {}
  get leaseMs(): number {
    return this.inner.leaseMs;
  }
  #call<T>(name: 'claim' | 'release' | 'set' | 'get', line: string, run: () => Promise<T>): Promise<T> {
    this.calls.push(line);
    return this.fail[name] !== undefined ? Promise.reject(this.fail[name]) : run();
  }
  get(key: string) {
    return this.#call('get', `get ${key}`, () => this.inner.get(key));
  }
  set(key: string, record: IdempotencyRecord, options: IdempotencySetOptions) {
    const line = `set ${key} ${JSON.stringify(record.value)} ${JSON.stringify(options)}`;
    return this.#call('set', line, () => this.inner.set(key, record, options));
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  claim(key: string, options: IdempotencyClaimOptions): Promise<IdempotencyClaim> {
    return this.#call('claim', `claim ${key} ${options.owner} ${options.leaseMs}`, () =>
      this.inner.claim(key, options),
    );
  }
  release(key: string, owner: string) {
    return this.#call('release', `release ${key} ${owner}`, () => this.inner.release(key, owner));
  }
}

function setup(leaseMs = 1_000) {
  const clock = new VirtualClock();
  const store = new ClaimSpy(new MemoryIdempotencyStore({ clock, leaseMs }));
  let runs = 0;
  const gates: Array<ReturnType<typeof deferred<void>>> = [];
  const handler = async (who: string): Promise<string> => {
    const run = ++runs;
    const gate = deferred();
    gates.push(gate);
    await gate.promise;
    return `${who}#${run}`;
  };
  const replica = (owner: string) =>
    idempotent(handler, { store, key: () => 'k', clock, owner, pollMs: 100, ttlMs: 60_000 });
  return { clock, store, replica, gates, runs: () => runs };
}

/** Advance `clock` by `ms` one millisecond at a time, letting promise chains run between ticks. */
async function pass(clock: VirtualClock, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    await clock.advance(1);
    await settle();
  }
}

/** Track a promise's outcome without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

describe('idempotent() with a claiming store (DESIGN §13, spec §6 at-least-once)', () => {
  it('a busy duplicate on another replica polls every pollMs and replays the holder’s record', async () => {
    const { clock, store, replica, gates, runs } = setup();
    const a = watch(replica('A')('a'));
    await settle();
    const b = watch(replica('B')('b'));
    await settle();
    expect(store.calls).toEqual(['claim k A 1000', 'claim k B 1000']);

    await pass(clock, 250);
    gates[0]?.resolve();
    await settle();
    expect(a).toEqual({ done: true, value: 'a#1' });
    expect(b.done).toBe(false); // it sees the record at its next poll, t = 300
    await pass(clock, 49);
    expect(b.done).toBe(false);
    await pass(clock, 1);
    expect(b).toEqual({ done: true, value: 'a#1' });
    expect(runs()).toBe(1);
    expect(store.calls.filter((c) => c.startsWith('set'))).toEqual(['set k "a#1" {"ttlMs":60000,"owner":"A"}']);
  });

  it('a failed run releases its claim, so a waiting duplicate claims and runs (a retry)', async () => {
    const clock = new VirtualClock();
    const store = new ClaimSpy(new MemoryIdempotencyStore({ clock }));
    let runs = 0;
    const first = deferred<string>();
    const handler = async () => (++runs === 1 ? first.promise : 'second');
    const a = watch(idempotent(handler, { store, key: () => 'k', clock, owner: 'A' })());
    await settle();
    const b = watch(idempotent(handler, { store, key: () => 'k', clock, owner: 'B' })());
    await settle();
    const failure = new Error('drain failed');
    first.reject(failure);
    await settle();
    expect(a).toEqual({ done: true, error: failure });
    expect(store.calls).toContain('release k A');
    await pass(clock, 100);
    expect(b).toEqual({ done: true, value: 'second' });
    expect(runs).toBe(2);
  });

  it('a lease that runs out mid-handler is not renewed: another replica runs too; the first completion is replayed', async () => {
    const { clock, replica, gates, runs } = setup(1_000);
    const a = watch(replica('A')('a'));
    await settle();
    const b = watch(replica('B')('b'));
    await settle();
    await pass(clock, 999);
    expect(runs()).toBe(1); // still within A's lease: B only polls
    await pass(clock, 1);
    expect(runs()).toBe(2); // A's lease ended at t = 1000: B claims and runs (the at-least-once edge)
    gates[0]?.resolve();
    await settle();
    gates[1]?.resolve();
    await settle();
    expect(a).toEqual({ done: true, value: 'a#1' });
    expect(b).toEqual({ done: true, value: 'b#2' });
    expect(await replica('C')('c')).toBe('a#1'); // first completion wins
  });

  it('gives up after maxWaitMs of busy claims with an IdempotencyStoreError, leaving no timer', async () => {
    const clock = new VirtualClock();
    let claims = 0;
    const store: IdempotencyStore = {
      get: async () => undefined,
      set: async () => {},
      delete: async () => {},
      claim: async () => {
        claims++;
        return { status: 'busy' };
      },
      release: async () => {},
    };
    let runs = 0;
    const call = watch(
      idempotent(async () => ++runs, { store, key: () => 'k', clock, pollMs: 100, maxWaitMs: 250, leaseMs: 100 })(),
    );
    await settle();
    await pass(clock, 500);
    expect(call.done).toBe(true);
    expect(call.error).toBeInstanceOf(IdempotencyStoreError);
    expect(call.error).toMatchObject({ operation: 'claim', code: 'ERR_IDEMPOTENCY_STORE' });
    expect(String((call.error as Error).message)).toMatch(/still claimed by another owner after 250 ms/);
    expect(claims).toBe(4); // t = 0, 100, 200, 250
    expect(runs).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a rejected claim is an IdempotencyStoreError with the cause; the handler does not run; a release is attempted', async () => {
    const { store, replica, runs } = setup();
    const down = new Error('ECONNREFUSED');
    store.fail.claim = down;
    const error = await replica('A')('a').catch((e: unknown) => e);
    await settle();
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(error).toMatchObject({ operation: 'claim', cause: down });
    expect(runs()).toBe(0);
    expect(store.calls).toEqual(['claim k A 1000', 'release k A']);
  });

  it('a rejected set after the run: the value is in the error, and the claim holds until the lease ends', async () => {
    const { clock, store, replica, gates, runs } = setup(1_000);
    store.fail.set = new Error('connection lost');
    const a = watch(replica('A')('a'));
    await settle();
    gates[0]?.resolve();
    await settle();
    expect(a.error).toBeInstanceOf(IdempotencyStoreError);
    expect(a.error).toMatchObject({ operation: 'set', value: 'a#1' });
    delete store.fail.set;
    const b = watch(replica('B')('b'));
    await settle();
    await pass(clock, 900);
    expect(runs()).toBe(1); // within A's lease: B waits
    await pass(clock, 100);
    expect(runs()).toBe(2); // the documented duplicate: the result was never remembered
    gates[1]?.resolve();
    await settle();
    expect(b).toEqual({ done: true, value: 'b#2' });
  });

  it("a rejected release after a failed run: operation 'release', the handler's error in handlerError", async () => {
    const clock = new VirtualClock();
    const store = new ClaimSpy(new MemoryIdempotencyStore({ clock }));
    store.fail.release = new Error('timeout');
    const failure = new Error('handler failed');
    const error = await idempotent(
      async () => {
        throw failure;
      },
      { store, key: () => 'k', clock },
    )().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(error).toMatchObject({ operation: 'release', handlerError: failure, cause: store.fail.release });
  });

  it('a malformed claim answer is an IdempotencyStoreError, not a run', async () => {
    const store: IdempotencyStore = {
      get: async () => undefined,
      set: async () => {},
      delete: async () => {},
      claim: async () => ({ status: 'maybe' }) as unknown as IdempotencyClaim,
      release: async () => {},
    };
    let runs = 0;
    const error = await idempotent(async () => ++runs, { store, key: () => 'k', clock: new VirtualClock() })().catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ operation: 'claim' });
    expect(String((error as Error).message)).toContain('{"status":"maybe"}');
    expect(runs).toBe(0);
  });

  it("uses the store's leaseMs by default, and a random owner per wrapper", async () => {
    const { store } = setup(4_321);
    const clock = new VirtualClock();
    await idempotent(async () => 1, { store, key: () => 'x', clock })();
    await idempotent(async () => 1, { store, key: () => 'y', clock })();
    const owners = store.calls.filter((c) => c.startsWith('claim')).map((c) => c.split(' ')[2]);
    expect(store.calls[0]).toMatch(/^claim x \S+ 4321$/);
    expect(new Set(owners).size).toBe(2);
  });

  it('a store with claim but no release is used as a plain store (both members or neither)', async () => {
    const clock = new VirtualClock();
    const inner = new MemoryIdempotencyStore({ clock });
    const calls: string[] = [];
    const store: IdempotencyStore = {
      get: (k) => {
        calls.push('get');
        return inner.get(k);
      },
      set: (k, r, o) => {
        calls.push('set');
        return inner.set(k, r, o);
      },
      delete: (k) => inner.delete(k),
      claim: (k, o) => {
        calls.push('claim');
        return inner.claim(k, o);
      },
    };
    await idempotent(async () => 1, { store, key: () => 'k', clock })();
    expect(calls).toEqual(['get', 'set']);
  });

  it.each([
    ['leaseMs', 0],
    ['pollMs', Number.NaN],
    ['maxWaitMs', -1],
    ['owner', ''],
  ])('rejects options.%s = %s with an InvalidArgumentError', (name, value) => {
    const store = new MemoryIdempotencyStore({ clock: new VirtualClock() });
    expect(() => idempotent(async () => 1, { store, key: () => 'k', [name]: value })).toThrow(InvalidArgumentError);
  });
});
