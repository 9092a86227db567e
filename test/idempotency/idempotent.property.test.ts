/**
 * Races of duplicate deliveries under fc.scheduler(): the scheduler decides the order of every
 * delivery, every store round-trip (before and after the store acts), every handler step and
 * every clock tick, and shrinks a failing interleaving to a minimal one.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type IdempotencyStore, idempotent, MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { settle } from '../support/settle.js';

interface Run {
  readonly key: string;
  readonly startedAt: number;
  ok?: boolean;
  value?: string;
  error?: Error;
  /** clock.now() when the store actually stored this run's result. */
  storedAt?: number;
}

/** A store whose calls each wait for the scheduler before and after reaching `inner`. */
function scheduledStore(
  s: fc.Scheduler,
  inner: IdempotencyStore,
  onStored: (value: unknown) => void,
): IdempotencyStore {
  const latency = <T>(label: string, value: T): Promise<T> => s.schedule(Promise.resolve(value), label);
  return {
    get: async (key) => latency(`get ${key} (reply)`, await inner.get(await latency(`get ${key}`, key))),
    set: async (key, record, options) => {
      await latency(`set ${key}`, key);
      await inner.set(key, record, options);
      onStored(record.value);
      await latency(`set ${key} (ack)`, key);
    },
    delete: async (key) => inner.delete(await latency(`delete ${key}`, key)),
  };
}

/** Arrange N deliveries, a handler that may fail, and clock ticks; run every interleaving the scheduler picks. */
async function raceDeliveries(options: {
  s: fc.Scheduler;
  keys: readonly string[];
  failPlan: readonly boolean[];
  ticksMs: readonly number[];
  ttlMs: number;
  maxEntries: number;
}) {
  const { s, keys, failPlan, ticksMs, ttlMs, maxEntries } = options;
  const clock = new VirtualClock();
  const memory = new MemoryIdempotencyStore({ clock, maxEntries });
  const runs: Run[] = [];
  const active = new Map<string, number>();
  let maxActive = 0;
  let maxSize = 0;
  const store = scheduledStore(s, memory, (value) => {
    const run = runs.find((r) => r.value === value);
    if (run !== undefined) run.storedAt = clock.now();
    maxSize = Math.max(maxSize, memory.size);
  });

  const sideEffect = async (key: string): Promise<string> => {
    const run: Run = { key, startedAt: clock.now() };
    const index = runs.push(run) - 1;
    active.set(key, (active.get(key) ?? 0) + 1);
    maxActive = Math.max(maxActive, active.get(key) ?? 0);
    await s.schedule(Promise.resolve(), `work ${key}#${index}`);
    active.set(key, (active.get(key) ?? 1) - 1);
    if (failPlan.length > 0 && failPlan[index % failPlan.length] === true) {
      run.ok = false;
      run.error = new Error(`${key}#${index} failed`);
      throw run.error;
    }
    run.ok = true;
    run.value = `${key}#${index}`;
    return run.value;
  };
  const onHook = idempotent(sideEffect, { store, key: (key) => `hook/${key}`, ttlMs, clock });

  const deliveries = keys.map((key, i) =>
    s.schedule(Promise.resolve(), `deliver ${i}: ${key}`).then(() => onHook(key)),
  );
  // A VirtualClock refuses a second advance while one runs: ticks released by the scheduler queue up.
  let ticking = Promise.resolve();
  for (const ms of ticksMs)
    void s.schedule(Promise.resolve(), `tick +${ms}ms`).then(() => {
      ticking = ticking.then(() => clock.advance(ms));
      return ticking;
    });
  const results = await s.waitFor(Promise.allSettled(deliveries));
  await s.waitIdle();
  return { runs, results, maxActive, maxSize, clock };
}

const deliveries = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 10 });

describe('idempotent() under any interleaving (fc.scheduler)', () => {
  test.prop([fc.scheduler(), deliveries, fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 3 })], {
    numRuns: 200,
  })(
    'N duplicate deliveries within the TTL run the side effect exactly once per key, all sharing its result',
    async (s, keys, ticksMs) => {
      const { runs, results } = await raceDeliveries({ s, keys, failPlan: [], ticksMs, ttlMs: 1000, maxEntries: 10 });

      for (const key of new Set(keys)) {
        const ofKey = runs.filter((r) => r.key === key);
        expect(
          ofKey,
          `runs of ${key}\n${s
            .report()
            .map((t) => t.label)
            .join('\n')}`,
        ).toHaveLength(1);
      }
      results.forEach((result, i) => {
        expect(result).toEqual({ status: 'fulfilled', value: runs.find((r) => r.key === keys[i])?.value });
      });
    },
  );

  test.prop(
    [
      fc.scheduler(),
      deliveries,
      fc.array(fc.boolean(), { maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }),
      fc.integer({ min: 1, max: 50 }),
    ],
    { numRuns: 200 },
  )(
    'a key runs again only after a failure or once the TTL has passed, never concurrently; every delivery gets a run outcome',
    async (s, keys, failPlan, ticksMs, ttlMs) => {
      const { runs, results, maxActive } = await raceDeliveries({ s, keys, failPlan, ticksMs, ttlMs, maxEntries: 10 });

      expect(maxActive).toBeLessThanOrEqual(1);
      for (const key of new Set(keys)) {
        const ofKey = runs.filter((r) => r.key === key);
        expect(ofKey.length).toBeGreaterThanOrEqual(1);
        for (let i = 1; i < ofKey.length; i++) {
          const previous = ofKey[i - 1]!;
          if (previous.ok === true) {
            // The previous result was stored, and had expired before this run started.
            expect(previous.storedAt).toBeDefined();
            expect(ofKey[i]!.startedAt).toBeGreaterThanOrEqual(previous.storedAt! + ttlMs);
          }
        }
      }
      results.forEach((result, i) => {
        const ofKey = runs.filter((r) => r.key === keys[i]);
        if (result.status === 'fulfilled') expect(ofKey.map((r) => r.value)).toContain(result.value);
        else expect(ofKey.map((r) => r.error)).toContain(result.reason);
      });
    },
  );

  test.prop(
    [
      fc.scheduler(),
      fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 14 }),
      fc.integer({ min: 1, max: 3 }),
    ],
    { numRuns: 100 },
  )('memory stays within maxEntries however many keys are delivered', async (s, keys, maxEntries) => {
    const { results, maxSize } = await raceDeliveries({ s, keys, failPlan: [], ticksMs: [], ttlMs: 1000, maxEntries });

    expect(maxSize).toBeLessThanOrEqual(maxEntries);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
  });
});

/** `scheduledStore` with the claim pair too: every claim and release also waits for the scheduler. */
function scheduledClaimingStore(s: fc.Scheduler, inner: MemoryIdempotencyStore): IdempotencyStore {
  const latency = <T>(label: string, value: T): Promise<T> => s.schedule(Promise.resolve(value), label);
  return {
    ...scheduledStore(s, inner, () => {}),
    claim: async (key, options) =>
      latency(`claim ${key} ${options.owner} (reply)`, await inner.claim(await latency(`claim ${key}`, key), options)),
    release: async (key, owner) => inner.release(await latency(`release ${key} ${owner}`, key), owner),
  };
}

describe('idempotent() with claims: replicas sharing one store (DESIGN §13), under any interleaving', () => {
  test.prop(
    [
      fc.scheduler(),
      fc.array(fc.record({ key: fc.constantFrom('a', 'b'), replica: fc.nat(2) }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.boolean(), { maxLength: 4 }),
    ],
    { numRuns: 150 },
  )(
    'within the lease a key never runs on two replicas at once; without failures it runs exactly once; every delivery gets a run outcome',
    async (s, deliveries, failPlan) => {
      const clock = new VirtualClock();
      const store = scheduledClaimingStore(s, new MemoryIdempotencyStore({ clock, leaseMs: 10_000 }));
      const runs: Array<{ key: string; ok: boolean; value: string; error?: Error }> = [];
      const active = new Map<string, number>();
      let maxActive = 0;
      const handler = async (key: string): Promise<string> => {
        const index = runs.length;
        const run: { key: string; ok: boolean; value: string; error?: Error } = {
          key,
          ok: false,
          value: `${key}#${index}`,
        };
        runs.push(run);
        active.set(key, (active.get(key) ?? 0) + 1);
        maxActive = Math.max(maxActive, active.get(key) ?? 0);
        await s.schedule(Promise.resolve(), `work ${key}#${index}`);
        active.set(key, (active.get(key) ?? 1) - 1);
        if (failPlan.length > 0 && failPlan[index % failPlan.length] === true) {
          run.error = new Error(`${key}#${index} failed`);
          throw run.error;
        }
        run.ok = true;
        return run.value;
      };
      const replicas = [0, 1, 2].map((i) =>
        idempotent(handler, { store, key: (key) => key, clock, owner: `replica-${i}`, pollMs: 50, ttlMs: 1e9 }),
      );
      const outcomes = deliveries.map(({ key, replica }, i) =>
        s
          .schedule(Promise.resolve(), `deliver ${i}: ${key} to replica ${replica}`)
          .then(() => replicas[replica]?.(key)),
      );
      let settled = false;
      const all = Promise.allSettled(outcomes).then((results) => {
        settled = true;
        return results;
      });
      // Busy duplicates sleep on the clock: once nothing else can move, let one poll interval pass.
      // Handlers never wait on the clock, so no lease runs out while a handler is still running.
      for (let i = 0; i < 1_000 && !settled; i++) {
        await s.waitIdle();
        if (!settled) await clock.advance(50);
        await settle();
      }
      const results = await all;

      expect(maxActive).toBeLessThanOrEqual(1);
      for (const key of new Set(deliveries.map((d) => d.key))) {
        const ofKey = runs.filter((r) => r.key === key);
        expect(ofKey.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
        if (failPlan.every((f) => !f)) expect(ofKey).toHaveLength(1);
      }
      results.forEach((result, i) => {
        const ofKey = runs.filter((r) => r.key === deliveries[i]?.key);
        if (result.status === 'fulfilled')
          expect(ofKey.filter((r) => r.ok).map((r) => r.value)).toContain(result.value);
        else expect(ofKey.map((r) => r.error)).toContain(result.reason);
      });
    },
  );
});
