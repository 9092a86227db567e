/**
 * The runtime conformance cases of the optional `Runtime.waitContainer` (DESIGN §10): how exits
 * reach the manager. Each case passes at once for a runtime without `waitContainer`.
 * @module
 */
import type { ContainerExit, ContainerRef } from '../../ports/runtime.js';
import { VirtualClock } from '../virtual-clock.js';
import {
  type ConformanceCase,
  checkAbortListeners,
  pass,
  type Settlement,
  track,
  trackAbortListeners,
} from './conformance-case.js';
import {
  EXITS_BY_ITSELF_AFTER_MS,
  expectRejected,
  expectResolved,
  type RuntimeCaseContext,
} from './runtime-case-context.js';
import type { RuntimeConformanceHarness } from './runtime-conformance.js';

type Define = (
  name: string,
  body: (h: RuntimeConformanceHarness, c: RuntimeCaseContext) => Promise<void>,
) => ConformanceCase;
type Wait = (ref: ContainerRef, options: { signal: AbortSignal }) => Promise<ContainerExit>;

/** The waitContainer cases, defined with the suite's `define`. */
export function waitContainerCases(define: Define): ConformanceCase[] {
  /** A case that runs only when the runtime has waitContainer. */
  const defineWait = (
    name: string,
    body: (h: RuntimeConformanceHarness, c: RuntimeCaseContext, wait: Wait) => Promise<void>,
  ) =>
    define(`${name} (when the runtime has waitContainer)`, async (h, c) => {
      const wait = h.runtime.waitContainer;
      if (wait === undefined) return;
      await body(h, c, wait.bind(h.runtime));
    });
  return [
    defineWait(
      'waitContainer resolves with the exit code once the main process exits by itself',
      async (h, c, wait) => {
        const ref = await c.start('exits-by-itself');
        const waiting = wait(ref, { signal: c.signal });
        const state = track(waiting);
        await pass(h.clock, 100);
        if (state().settled)
          throw c.fail(`waitContainer settled while the main process was still running: ${JSON.stringify(state())}`);
        await pass(h.clock, EXITS_BY_ITSELF_AFTER_MS - 100 + c.prompt, waiting);
        expectResolved(
          c,
          state(),
          "waitContainer of a process exiting with code 3 by itself (does the harness's container('exits-by-itself') exit with code 3 after EXITS_BY_ITSELF_AFTER_MS?)",
        );
        expectExit(c, state(), 3, undefined);
      },
    ),
    defineWait('waitContainer called after the exit resolves with that exit at once', async (h, c, wait) => {
      const ref = await c.start('exits-by-itself');
      await pass(h.clock, EXITS_BY_ITSELF_AFTER_MS + c.prompt / 2);
      const waiting = wait(ref, { signal: c.signal });
      const state = track(waiting);
      await pass(h.clock, h.clock instanceof VirtualClock ? 0 : c.prompt, waiting);
      expectResolved(c, state(), 'waitContainer called after the main process had exited');
      expectExit(c, state(), 3, undefined);
    }),
    defineWait('waitContainer reports a SIGKILL of stopContainer as exit code 137', async (h, c, wait) => {
      const ref = await c.start('ignores-signals');
      const waiting = wait(ref, { signal: c.signal });
      const state = track(waiting);
      const stop = h.runtime.stopContainer(ref, { timeoutSeconds: 0, signal: c.signal });
      await pass(h.clock, c.prompt, stop);
      await pass(h.clock, c.prompt, waiting);
      expectResolved(c, state(), 'waitContainer of a container stopped with SIGKILL');
      expectExit(c, state(), 137, 'SIGKILL');
    }),
    defineWait('waitContainer rejects when its signal aborts (at once when already aborted)', async (h, c, wait) => {
      const ref = await c.start('exits-on-signal');
      const early = track(wait(ref, { signal: AbortSignal.abort(new Error('aborted before waitContainer')) }));
      const controller = new AbortController();
      const waiting = wait(ref, { signal: controller.signal });
      const state = track(waiting);
      await pass(h.clock, 50);
      expectRejected(c, early(), 'waitContainer with an already-aborted signal');
      if (state().settled)
        throw c.fail(`waitContainer settled before the abort, the container running: ${JSON.stringify(state())}`);
      controller.abort(new Error('caller gave up'));
      await pass(h.clock, c.prompt, waiting);
      expectRejected(c, state(), 'waitContainer aborted while the container runs');
    }),
    defineWait('waitContainer removes its abort listener once it settles', async (h, c, wait) => {
      await checkAbortListeners(c.fail, async (signal, counted) => {
        const ref = await c.start('ignores-signals');
        await counted('waitContainer until a stop', async () => {
          const waiting = wait(ref, { signal });
          const stop = h.runtime.stopContainer(ref, { timeoutSeconds: 0, signal: c.signal });
          await pass(h.clock, c.prompt, stop);
          await pass(h.clock, c.prompt, waiting);
          return waiting;
        });
      });
      // An aborted wait leaves nothing either (its listener may not rely on the abort alone).
      const ref = await c.start('exits-on-signal');
      const controller = new AbortController();
      const tracker = trackAbortListeners(controller.signal);
      try {
        const waiting = wait(ref, { signal: controller.signal }).catch(() => undefined);
        await pass(h.clock, 10);
        controller.abort(new Error('caller gave up'));
        await pass(h.clock, c.prompt, waiting);
        await waiting;
        if (tracker.left() > 0) throw c.fail(`${tracker.left()} abort listener(s) left after an aborted waitContainer`);
      } finally {
        tracker.restore();
      }
    }),
  ];
}

function expectExit(
  c: RuntimeCaseContext,
  state: Settlement<ContainerExit>,
  exitCode: number,
  signal: string | undefined,
): void {
  if (!state.settled || !state.ok) return;
  const got = state.value;
  if (got?.exitCode !== exitCode)
    throw c.fail(`waitContainer resolved with ${JSON.stringify(got)}; expected exitCode ${exitCode}`);
  if (got.signal !== undefined && got.signal !== signal)
    throw c.fail(
      `waitContainer resolved with ${JSON.stringify(got)}; expected ${signal === undefined ? 'no signal' : `signal ${JSON.stringify(signal)} (or none)`}`,
    );
}
