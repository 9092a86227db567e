/**
 * The runtime conformance case of the order in which an adapter reports a container's exit and
 * the exec calls that exit ends: every exec still running in the container settles (the runtime
 * kills it with the container) before `waitContainer` reports the exit. (The same order is asked
 * of `stopContainer`; a case for it is left for when the hand-written example runtimes follow it.)
 * The manager relies on that order, not on a count of microtask turns: a hook whose exec has
 * settled by the exit report is reported (exit 137, spec §4.2-C.5.6); one still pending then is
 * abandoned.
 * @module
 */
import type { ContainerRef, ExecResult } from '../../ports/runtime.js';
import { type ConformanceCase, pass } from './conformance-case.js';
import { EXITS_BY_ITSELF_AFTER_MS, expectResolved, type RuntimeCaseContext } from './runtime-case-context.js';
import type { RuntimeConformanceHarness } from './runtime-conformance.js';

type Define = (
  name: string,
  body: (h: RuntimeConformanceHarness, c: RuntimeCaseContext) => Promise<void>,
) => ConformanceCase;

/** The exit-order cases, defined with the suite's `define`. */
export function exitOrderCases(define: Define): ConformanceCase[] {
  return [
    define(
      'an exec still running when the main process exits by itself settles before waitContainer resolves (when the runtime has waitContainer)',
      async (h, c) => {
        const wait = h.runtime.waitContainer;
        if (wait === undefined) return;
        const ref = await c.start('exits-by-itself');
        await execThenReport(h, c, ref, 'waitContainer', EXITS_BY_ITSELF_AFTER_MS, () =>
          wait.call(h.runtime, ref, { signal: c.signal }),
        );
      },
    ),
  ];
}

/**
 * Start a hanging exec in `ref`, then `report()` (a stop or a wait); fail unless the exec settles
 * (either way) before the report resolves.
 */
async function execThenReport(
  h: RuntimeConformanceHarness,
  c: RuntimeCaseContext,
  ref: ContainerRef,
  what: string,
  dueMs: number,
  report: () => Promise<unknown>,
): Promise<void> {
  const order: string[] = [];
  const exec: Promise<ExecResult | undefined> = h.runtime.exec(ref, h.commands.hang(), { signal: c.signal }).then(
    (result) => {
      order.push('exec');
      return result;
    },
    () => {
      order.push('exec');
      return undefined;
    },
  );
  await pass(h.clock, Math.min(200, c.prompt / 4)); // the exec is running
  if (order.length > 0) throw c.fail('the hang() exec settled before the container exited');
  let settled = false;
  const reported = report().then(
    () => {
      settled = true;
      order.push(what);
    },
    (error: unknown) => {
      throw c.fail(`${what} rejected: ${String(error)}`, error);
    },
  );
  await pass(h.clock, dueMs + 2 * c.prompt, reported);
  expectResolved(c, settled ? { settled: true, ok: true, value: undefined } : { settled: false }, what);
  await reported;
  if (order[0] !== 'exec') {
    throw c.fail(
      `${what} resolved before the exec running in the container settled (order: ${order.join(' → ') || 'none'}): ` +
        'settle the execs of a container (they die with it, exit 137) before reporting its exit',
    );
  }
  await exec;
}
