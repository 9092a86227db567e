import type { Container, Pod } from '../../api/types.js';
import type { Clock } from '../../ports/clock.js';
import type { ContainerRef, Runtime } from '../../ports/runtime.js';
import { VirtualClock } from '../virtual-clock.js';
import {
  type ConformanceCase,
  checkAbortListeners,
  conformanceFailure,
  describeError,
  pass,
  track,
} from './conformance-case.js';
import {
  EXITS_BY_ITSELF_AFTER_MS,
  expectRejected,
  expectResolved,
  type RuntimeCaseContext,
  settle,
} from './runtime-case-context.js';
import { exitOrderCases } from './runtime-exit-order-cases.js';
import { waitContainerCases } from './runtime-wait-cases.js';

/** How the main process of a conformance container reacts to signals. */
export type ConformanceProcessBehaviour =
  /** Exits promptly on SIGTERM and on SIGINT (the custom stop signal the suite uses). */
  | 'exits-on-signal'
  /** Notes SIGTERM and SIGINT but keeps running: only SIGKILL ends it. */
  | 'ignores-signals'
  /**
   * Exits by itself with code 3 about {@link EXITS_BY_ITSELF_AFTER_MS} after it started (on a
   * `VirtualClock` exactly then). Used only when the runtime has `waitContainer`.
   */
  | 'exits-by-itself';

/**
 * What a {@link Runtime} adapter author provides to run {@link runtimeConformanceCases}.
 * The factory is called once per case and `cleanup` after it, even when the case fails, so each
 * case starts from a fresh harness.
 *
 * - `clock`: the clock the adapter escalates on. With a `VirtualClock` the suite advances it;
 *   with any other clock (`systemClock`) the suite waits in real time: the SIGKILL case then
 *   takes about one second.
 * - `container(behaviour)`: a pod and container that, started with `runtime.startContainer`,
 *   run a main process behaving as asked (see {@link ConformanceProcessBehaviour};
 *   `'exits-by-itself'` is asked for only when the runtime has `waitContainer`). The suite calls
 *   `startContainer` itself.
 * - `observedSignals(ref)`: the signals that main process has caught so far, in order (it can
 *   never catch SIGKILL, so SIGKILL is never listed). A process-based harness typically has the
 *   process append each caught signal name to a file or to its stdout.
 * - `commands`: argv for the exec cases, to be run in any started container:
 *   `exit(r)` writes `r.stdout` to stdout and `r.stderr` to stderr (exactly, no newline added)
 *   and exits with `r.exitCode`; `echoArgs(args)` writes each argument followed by `\n` to stdout
 *   and exits 0 (the suite passes arguments like `$HOME; echo x` that a shell would change);
 *   `hang()` runs until it is killed.
 *
 * @example
 * ```ts
 * // a child-process runtime, with node as the program in every container
 * const harness = async (): Promise<RuntimeConformanceHarness> => ({
 *   runtime: new ProcessRuntime(), clock: systemClock,
 *   container: (b) => ({ pod, container: { name: b, command: [process.execPath, '-e', scripts[b]] } }),
 *   observedSignals: async (ref) => readSignalsFile(ref),
 *   commands: {
 *     exit: (r) => [process.execPath, '-e', `process.stdout.write(${JSON.stringify(r.stdout)}); …`],
 *     echoArgs: (args) => [process.execPath, '-e', 'for (const a of process.argv.slice(1)) console.log(a)', ...args],
 *     hang: () => [process.execPath, '-e', 'setInterval(() => {}, 1e6)'],
 *   },
 *   cleanup: () => killAll(),
 * });
 * ```
 */
export interface RuntimeConformanceHarness {
  readonly runtime: Runtime;
  readonly clock: Clock;
  container(
    behaviour: ConformanceProcessBehaviour,
  ): { pod: Pod; container: Container } | Promise<{ pod: Pod; container: Container }>;
  observedSignals(ref: ContainerRef): readonly string[] | Promise<readonly string[]>;
  readonly commands: {
    exit(result: { exitCode: number; stdout: string; stderr: string }): readonly string[];
    echoArgs(args: readonly string[]): readonly string[];
    hang(): readonly string[];
  };
  cleanup?(): void | Promise<void>;
}

/** Options of {@link runtimeConformanceCases}. */
export interface RuntimeConformanceOptions {
  /**
   * With a real clock: how long "promptly" may take (an abort honoured, a stop signal handled)
   * and the slack allowed around the SIGKILL deadline. Ignored with a `VirtualClock`, where
   * everything must happen at the exact virtual time. @default 2000
   */
  readonly promptMs?: number;
}

export { EXITS_BY_ITSELF_AFTER_MS };

const SUITE = 'Runtime';

/**
 * The conformance cases every {@link Runtime} adapter must pass, independent of the test runner:
 * exec exit codes and separate stdout/stderr, argv without a shell, stop with the default and a
 * custom signal, SIGKILL after (and not before) the timeout, stop of a stopped container, abort
 * signals honoured, and no abort listener left on a signal once a call has settled (the manager
 * passes one signal to many calls), and the exit order (an exec running in a container settles
 * before `waitContainer` reports the container's exit). For a runtime with the optional `waitContainer`: the exit
 * code of a process exiting by itself (also when the wait starts after the exit), 137 after a
 * SIGKILL, rejection on abort, no listener left. Register them with {@link registerConformanceCases}.
 */
export function runtimeConformanceCases(
  factory: () => RuntimeConformanceHarness | Promise<RuntimeConformanceHarness>,
  options: RuntimeConformanceOptions = {},
): ConformanceCase[] {
  const promptMs = options.promptMs ?? 2_000;
  const define = (
    name: string,
    body: (h: RuntimeConformanceHarness, c: RuntimeCaseContext) => Promise<void>,
  ): ConformanceCase => ({
    name,
    run: async () => {
      const harness = await factory();
      const virtual = harness.clock instanceof VirtualClock;
      const controller = new AbortController();
      const ctx: RuntimeCaseContext = {
        fail: (detail, cause) => conformanceFailure(SUITE, name, detail, cause),
        prompt: virtual ? 0 : promptMs,
        signal: controller.signal,
        start: async (behaviour, signal = controller.signal) => {
          const { pod, container } = await harness.container(behaviour);
          const { id } = await harness.runtime.startContainer(pod, container, { signal });
          if (typeof id !== 'string' || id === '')
            throw ctx.fail(`startContainer resolved with id ${JSON.stringify(id)}; expected a non-empty string`);
          const meta = pod.metadata ?? {};
          return {
            id,
            name: container.name,
            podName: meta.name ?? '',
            podNamespace: meta.namespace ?? 'default',
            podUID: meta.uid ?? '',
          };
        },
      };
      try {
        await body(harness, ctx);
      } finally {
        controller.abort();
        await harness.cleanup?.();
      }
    },
  });
  return [
    define('exec resolves with the exit code, and stdout and stderr kept apart', async (h, c) => {
      const ref = await c.start('exits-on-signal');
      for (const expected of [
        { exitCode: 0, stdout: 'out', stderr: '' },
        { exitCode: 3, stdout: 'partial', stderr: 'boom' },
      ]) {
        const got = await h.runtime.exec(ref, h.commands.exit(expected), { signal: c.signal });
        const actual = { exitCode: got.exitCode, stdout: got.stdout ?? '', stderr: got.stderr ?? '' };
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          throw c.fail(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
      }
    }),
    define('exec passes argv verbatim, without a shell', async (h, c) => {
      const ref = await c.start('exits-on-signal');
      const args = ['$HOME; echo x', 'two words', "'quoted'", '*', '`id`', 'a\\b'];
      const got = await h.runtime.exec(ref, h.commands.echoArgs(args), { signal: c.signal });
      const expected = args.map((a) => `${a}\n`).join('');
      if (got.exitCode !== 0 || got.stdout !== expected) {
        throw c.fail(
          `expected exit 0 and stdout ${JSON.stringify(expected)}, got ${JSON.stringify(got)}; is the command run through a shell?`,
        );
      }
    }),
    define('exec with an already-aborted signal rejects', async (h, c) => {
      const ref = await c.start('exits-on-signal');
      const reason = new Error('aborted before exec');
      const state = track(h.runtime.exec(ref, h.commands.hang(), { signal: AbortSignal.abort(reason) }));
      await pass(h.clock, c.prompt);
      expectRejected(c, state(), `exec with an aborted signal`);
    }),
    define('exec rejects promptly when its signal aborts', async (h, c) => {
      const ref = await c.start('exits-on-signal');
      const controller = new AbortController();
      const exec = h.runtime.exec(ref, h.commands.hang(), { signal: controller.signal });
      const state = track(exec);
      await pass(h.clock, 50);
      if (state().settled) throw c.fail(`exec of commands.hang() settled before the abort: ${JSON.stringify(state())}`);
      controller.abort(new Error('hook deadline'));
      await pass(h.clock, c.prompt, exec);
      expectRejected(c, state(), `exec aborted while running`);
    }),
    define('stopContainer sends SIGTERM when no stop signal is given, and resolves once exited', async (h, c) => {
      await stopAndExpect(h, c, undefined, 'SIGTERM');
    }),
    define('stopContainer sends the given stop signal (SIGINT)', async (h, c) => {
      await stopAndExpect(h, c, 'SIGINT', 'SIGINT');
    }),
    define(
      'stopContainer sends SIGKILL after timeoutSeconds to a process that ignores the stop signal, not before',
      async (h, c) => {
        const ref = await c.start('ignores-signals');
        const slack = h.clock instanceof VirtualClock ? 1 : c.prompt / 4;
        const stop = h.runtime.stopContainer(ref, { timeoutSeconds: 1, signal: c.signal });
        const state = track(stop);
        await pass(h.clock, 1_000 - slack, stop);
        if (state().settled)
          throw c.fail(
            `stopContainer settled ${1_000 - slack} ms after it was called, before the 1 s timeout: ${JSON.stringify(state())}`,
          );
        await pass(h.clock, slack + c.prompt, stop);
        expectResolved(c, state(), 'stopContainer of a process ignoring SIGTERM, 1 s timeout');
        const seen = await h.observedSignals(ref);
        if (seen.join() !== 'SIGTERM')
          throw c.fail(
            `expected the process to observe ["SIGTERM"] before SIGKILL, it observed ${JSON.stringify(seen)}`,
          );
      },
    ),
    define('stopContainer of a stopped container resolves', async (h, c) => {
      const ref = await c.start('exits-on-signal');
      const first = h.runtime.stopContainer(ref, { timeoutSeconds: 10, signal: c.signal });
      await pass(h.clock, c.prompt, first);
      expectResolved(c, await settle(first), 'first stopContainer');
      const second = h.runtime.stopContainer(ref, { timeoutSeconds: 10, signal: c.signal });
      const state = track(second);
      await pass(h.clock, c.prompt, second);
      expectResolved(c, state(), 'stopContainer of an already stopped container');
    }),
    define('stopContainer rejects promptly when its signal aborts', async (h, c) => {
      const ref = await c.start('ignores-signals');
      const controller = new AbortController();
      const stop = h.runtime.stopContainer(ref, { timeoutSeconds: 30, signal: controller.signal });
      const state = track(stop);
      await pass(h.clock, 50);
      controller.abort(new Error('caller gave up'));
      await pass(h.clock, c.prompt, stop);
      expectRejected(c, state(), 'stopContainer aborted while waiting for the exit');
    }),
    define('removes its abort listeners once a call settles', async (h, c) => {
      // One signal for a container's start, its execs and its stop, as the manager passes it.
      await checkAbortListeners(c.fail, async (signal, counted) => {
        const ref = await counted('startContainer', () => c.start('exits-on-signal', signal));
        for (const expected of [
          { exitCode: 0, stdout: 'ok', stderr: '' },
          { exitCode: 3, stdout: '', stderr: 'failed' },
        ]) {
          const what = `exec exiting ${expected.exitCode}`;
          const got = await counted(what, () =>
            h.runtime.exec(ref, h.commands.exit(expected), { signal }).catch((error: unknown) => {
              throw c.fail(`${what} rejected: ${describeError(error)}`, error);
            }),
          );
          if (got.exitCode !== expected.exitCode)
            throw c.fail(`${what}: expected exit code ${expected.exitCode}, got ${JSON.stringify(got)}`);
        }
        await counted('stopContainer', async () => {
          const stop = h.runtime.stopContainer(ref, { timeoutSeconds: 30, signal });
          const state = track(stop);
          await pass(h.clock, c.prompt, stop);
          expectResolved(c, state(), 'stopContainer');
        });
      });
    }),
    ...waitContainerCases(define),
    ...exitOrderCases(define),
  ];
}

async function stopAndExpect(
  h: RuntimeConformanceHarness,
  c: RuntimeCaseContext,
  stopSignal: string | undefined,
  expected: string,
): Promise<void> {
  const ref = await c.start('exits-on-signal');
  const stop = h.runtime.stopContainer(ref, {
    ...(stopSignal === undefined ? {} : { stopSignal }),
    timeoutSeconds: 30,
    signal: c.signal,
  });
  const state = track(stop);
  await pass(h.clock, c.prompt, stop);
  expectResolved(c, state(), `stopContainer with stopSignal ${String(stopSignal)}`);
  const seen = await h.observedSignals(ref);
  if (seen.join() !== expected)
    throw c.fail(`expected the main process to observe ["${expected}"], it observed ${JSON.stringify(seen)}`);
}
