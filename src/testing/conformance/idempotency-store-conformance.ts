import type { IdempotencyRecord, IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { Clock } from '../../ports/clock.js';
import { VirtualClock } from '../virtual-clock.js';
import { type ConformanceCase, conformanceFailure, describeError, pass } from './conformance-case.js';

/**
 * What a store author provides to run {@link idempotencyStoreConformanceCases}. The factory is
 * called once per case and `cleanup` after it (even when the case fails).
 *
 * - `store`: the store under test, empty (or at least without keys under `conformance/`).
 * - `clock`: the clock the store expires records and claims on. With a `VirtualClock` the suite
 *   advances it and expects expiry at the exact millisecond; with any other clock (`systemClock`,
 *   a Redis server's own time) it waits in real time, `realTtlMs` and `slackMs` long.
 *
 * @example
 * ```ts
 * registerConformanceCases(
 *   idempotencyStoreConformanceCases(() => {
 *     const clock = new VirtualClock();
 *     return { store: new MemoryIdempotencyStore({ clock }), clock };
 *   }),
 *   test,
 * );
 * ```
 */
export interface IdempotencyStoreConformanceHarness {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
  cleanup?(): void | Promise<void>;
}

/** Options of {@link idempotencyStoreConformanceCases}. */
export interface IdempotencyStoreConformanceOptions {
  /**
   * Whether the store must implement the optional `claim`/`release` pair (DESIGN §13). With
   * `false` the claim cases are left out. @default true
   */
  readonly claims?: boolean;
  /** With a real clock: the TTL and lease the expiry cases use, in milliseconds. @default 600 */
  readonly realTtlMs?: number;
  /** With a real clock: how far from the deadline expiry is checked, either side. @default 250 */
  readonly slackMs?: number;
}

const SUITE = 'IdempotencyStore';

interface Ctx {
  readonly fail: (detail: string, cause?: unknown) => Error;
  /** A fresh key for this case. */
  readonly key: (name: string) => string;
  readonly ttlMs: number;
  readonly slackMs: number;
}

/**
 * The conformance cases every {@link IdempotencyStore} must pass, whatever it stores in (memory,
 * Redis, SQL, DynamoDB…), independent of the test runner: get/set/delete, JSON-shaped values,
 * replacement, TTL expiry on the store's clock, and (unless `claims: false`) the claim contract
 * of DESIGN §13: one claim at a time, claims invisible to `get`, owner-checked release, lease
 * expiry, completion over a claim keeping the first record, and exactly one winner among
 * concurrent claims. Register them with `registerConformanceCases`.
 */
export function idempotencyStoreConformanceCases(
  factory: () => IdempotencyStoreConformanceHarness | Promise<IdempotencyStoreConformanceHarness>,
  options: IdempotencyStoreConformanceOptions = {},
): ConformanceCase[] {
  let run = 0;
  const define = (name: string, body: (h: IdempotencyStoreConformanceHarness, c: Ctx) => Promise<void>) => ({
    name,
    run: async () => {
      const harness = await factory();
      const virtual = harness.clock instanceof VirtualClock;
      const id = `${++run}-${harness.clock.now()}`;
      const ctx: Ctx = {
        fail: (detail, cause) => conformanceFailure(SUITE, name, detail, cause),
        key: (part) => `conformance/${id}/${part}`,
        ttlMs: virtual ? 1_000 : (options.realTtlMs ?? 600),
        slackMs: virtual ? 1 : (options.slackMs ?? 250),
      };
      try {
        await body(harness, ctx);
      } finally {
        await harness.cleanup?.();
      }
    },
  });
  const cases: ConformanceCase[] = [...recordCases(define)];
  if (options.claims !== false) cases.push(...claimCases(define));
  return cases;
}

type Define = (name: string, body: (h: IdempotencyStoreConformanceHarness, c: Ctx) => Promise<void>) => ConformanceCase;

const record = (value: unknown, completedAt = 7): IdempotencyRecord => ({ state: 'completed', value, completedAt });

function recordCases(define: Define): ConformanceCase[] {
  return [
    define('get of a key never set resolves undefined', async (h, c) => {
      const got = await h.store.get(c.key('absent'));
      if (got !== undefined) throw c.fail(`expected undefined, got ${show(got)}`);
    }),
    define('set then get gives the record back (JSON-shaped values, an undefined value)', async (h, c) => {
      const values: unknown[] = [
        { drained: 3, hosts: ['a', 'b'], nested: { ok: true, none: null } },
        'ünïcødé ✓ "quoted" \\ /',
        0,
        -12.5,
        false,
        null,
        [],
        undefined,
      ];
      for (const [i, value] of values.entries()) {
        const key = c.key(`value-${i}`);
        await h.store.set(key, record(value, 1_000 + i), { ttlMs: 60_000 });
        const got = await h.store.get(key);
        expectRecord(c, got, record(value, 1_000 + i), `get after set of ${show(value)}`);
      }
    }),
    define('set replaces an earlier record of the key', async (h, c) => {
      const key = c.key('replaced');
      await h.store.set(key, record('first'), { ttlMs: 60_000 });
      await h.store.set(key, record('second'), { ttlMs: 60_000 });
      expectRecord(c, await h.store.get(key), record('second'), 'get after two sets');
    }),
    define('a record expires after its ttlMs, not before', async (h, c) => {
      const key = c.key('expiring');
      await h.store.set(key, record('soon gone'), { ttlMs: c.ttlMs });
      await pass(h.clock, c.ttlMs - c.slackMs);
      expectRecord(c, await h.store.get(key), record('soon gone'), `get ${c.slackMs} ms before the TTL`);
      await pass(h.clock, 2 * c.slackMs);
      const got = await h.store.get(key);
      if (got !== undefined) throw c.fail(`expected undefined ${c.slackMs} ms after the TTL, got ${show(got)}`);
    }),
    define('delete forgets a record, and resolves for an absent key', async (h, c) => {
      const key = c.key('deleted');
      await h.store.set(key, record('x'), { ttlMs: 60_000 });
      await h.store.delete(key);
      const got = await h.store.get(key);
      if (got !== undefined) throw c.fail(`expected undefined after delete, got ${show(got)}`);
      await h.store.delete(c.key('never-set'));
    }),
    define('claim and release are both present or both absent (DESIGN §13)', async (h, c) => {
      const has = [typeof h.store.claim, typeof h.store.release].map((t) => t === 'function');
      if (has[0] !== has[1])
        throw c.fail(`claim is ${has[0] ? '' : 'not '}a function but release is ${has[1] ? '' : 'not '}one`);
    }),
  ];
}

function claimCases(define: Define): ConformanceCase[] {
  const claiming = (h: IdempotencyStoreConformanceHarness, c: Ctx) => {
    const { claim, release } = h.store;
    if (typeof claim !== 'function' || typeof release !== 'function') {
      throw c.fail('the store has no claim/release; implement them (DESIGN §13) or pass { claims: false }');
    }
    return {
      claim: async (key: string, owner: string, leaseMs = 60_000) => {
        const answer = await claim.call(h.store, key, { leaseMs, owner });
        return (answer as { status?: unknown } | undefined)?.status === 'completed'
          ? `completed:${show((answer as { record?: IdempotencyRecord }).record?.value)}`
          : String((answer as { status?: unknown } | undefined)?.status);
      },
      release: (key: string, owner: string) => release.call(h.store, key, owner),
    };
  };
  const expectStatus = (c: Ctx, got: string, expected: string, what: string) => {
    if (got !== expected) throw c.fail(`${what}: expected ${expected}, got ${got}`);
  };
  return [
    define('claim of a free key is granted; while it holds, every claim is busy (its owner’s too)', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('claimed');
      expectStatus(c, await s.claim(key, 'a'), 'claimed', 'first claim');
      expectStatus(c, await s.claim(key, 'b'), 'busy', "another owner's claim");
      expectStatus(c, await s.claim(key, 'a'), 'busy', "the holder's second claim (claims are not re-entrant)");
    }),
    define('a claim is invisible to get', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('invisible');
      await s.claim(key, 'a');
      const got = await h.store.get(key);
      if (got !== undefined) throw c.fail(`expected get to give undefined for a claimed key, got ${show(got)}`);
    }),
    define('claim of a completed key answers completed with the record', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('completed');
      await h.store.set(key, record({ n: 1 }), { ttlMs: 60_000 });
      expectStatus(c, await s.claim(key, 'a'), 'completed:{"n":1}', 'claim of a completed key');
    }),
    define('release by the holder frees the key; release by another owner does not', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('released');
      await s.claim(key, 'a');
      await s.release(key, 'b');
      expectStatus(c, await s.claim(key, 'b'), 'busy', 'claim after a release by a non-holder');
      await s.release(key, 'a');
      expectStatus(c, await s.claim(key, 'b'), 'claimed', "claim after the holder's release");
    }),
    define('release never drops a record', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('kept');
      await h.store.set(key, record('done'), { ttlMs: 60_000 });
      await s.release(key, 'a');
      expectRecord(c, await h.store.get(key), record('done'), 'get after release of a completed key');
    }),
    define('a claim ends with its lease', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('lease');
      await s.claim(key, 'a', c.ttlMs);
      await pass(h.clock, c.ttlMs - c.slackMs);
      expectStatus(c, await s.claim(key, 'b'), 'busy', `claim ${c.slackMs} ms before the lease ends`);
      await pass(h.clock, 2 * c.slackMs);
      expectStatus(c, await s.claim(key, 'b'), 'claimed', `claim ${c.slackMs} ms after the lease ended`);
    }),
    define('set with the owner completes a claim; a later completion keeps the first record', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('completion');
      await s.claim(key, 'a');
      await h.store.set(key, record('from a'), { ttlMs: 60_000, owner: 'a' });
      expectStatus(c, await s.claim(key, 'c'), 'completed:"from a"', 'claim after the completion');
      await h.store.set(key, record('from b'), { ttlMs: 60_000, owner: 'b' });
      expectRecord(c, await h.store.get(key), record('from a'), 'get after a second completion');
    }),
    define('of concurrent claims by many owners exactly one is granted', async (h, c) => {
      const s = claiming(h, c);
      const key = c.key('race');
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => s.claim(key, `owner-${i}`)));
      const granted = answers.filter((a) => a === 'claimed').length;
      if (granted !== 1 || answers.some((a) => a !== 'claimed' && a !== 'busy'))
        throw c.fail(`expected one 'claimed' and 19 'busy', got ${show(answers)}`);
    }),
  ];
}

function expectRecord(c: Ctx, got: IdempotencyRecord | undefined, expected: IdempotencyRecord, what: string): void {
  if (got === undefined) throw c.fail(`${what}: expected ${show(expected)}, got undefined`);
  const same =
    got.state === expected.state &&
    got.completedAt === expected.completedAt &&
    show(got.value) === show(expected.value);
  if (!same) throw c.fail(`${what}: expected ${show(expected)}, got ${show(got)}`);
}

function show(value: unknown): string {
  try {
    return value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch (error) {
    return describeError(error);
  }
}
