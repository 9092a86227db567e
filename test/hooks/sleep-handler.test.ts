// Sleep handler (spec §5.3) on the injected clock.
import { describe, expect, it } from 'vitest';
import { runHandler } from '../../src/hooks/index.js';
import { settle } from '../support/settle.js';
import { makeCtx } from './helpers.js';

describe('sleep handler (spec §5.3)', () => {
  it('waits the given seconds on ctx.clock, then succeeds', async () => {
    const ctx = makeCtx();
    let outcome: unknown;
    void runHandler({ sleep: { seconds: 5 } }, ctx).then((o) => {
      outcome = o;
    });
    await settle();
    expect(ctx.clock.pendingTimers).toBe(1);
    await ctx.clock.advance(4999);
    await settle();
    expect(outcome).toBeUndefined();
    await ctx.clock.advance(1);
    await settle();
    expect(outcome).toEqual({ ok: true });
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it.each([0, -3, Number.NaN])('seconds %d returns at once and arms no timer', async (seconds) => {
    const ctx = makeCtx();
    await expect(runHandler({ sleep: { seconds } }, ctx)).resolves.toEqual({ ok: true });
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it('an abort ends the sleep with the kubelet error and leaves no timer (TestRunSleepHandler [HT])', async () => {
    const controller = new AbortController();
    const ctx = makeCtx({ signal: controller.signal });
    const pending = runHandler({ sleep: { seconds: 3 } }, ctx);
    await settle();
    await ctx.clock.advance(2000);
    controller.abort();
    expect(await pending).toMatchInlineSnapshot(`
      {
        "error": "container terminated before sleep hook finished",
        "message": "Sleep lifecycle hook (3) for Container "containerFoo" in Pod "podFoo_nsFoo(foo-bar-quux)" failed - error: container terminated before sleep hook finished",
        "ok": false,
      }
    `);
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it('an already-aborted signal fails without arming a timer', async () => {
    const ctx = makeCtx({ signal: AbortSignal.abort() });
    await expect(runHandler({ sleep: { seconds: 1 } }, ctx)).resolves.toMatchObject({ ok: false });
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it('a clock that throws is a failure, not a rejection', async () => {
    const ctx = makeCtx();
    const broken = Object.assign(Object.create(ctx.clock) as typeof ctx.clock, {
      setTimeout: () => {
        throw new Error('clock broke');
      },
    });
    await expect(runHandler({ sleep: { seconds: 1 } }, { ...ctx, clock: broken })).resolves.toMatchObject({
      ok: false,
      error: 'clock failed: clock broke',
    });
  });
});
