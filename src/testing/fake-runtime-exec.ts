/**
 * How a {@link FakeRuntime} runs one exec: the matched {@link ExecScript} on the clock, ended by
 * the caller's abort or by the container's exit (exit 137, as runc and containerd report an exec
 * killed with its container).
 *
 * @module
 */
import { type Clock, sleepOn } from '../ports/clock.js';
import type { ContainerRef, ExecResult } from '../ports/runtime.js';
import type { Instance } from './fake-runtime-instances.js';
import type { ExecScript } from './fake-runtime-scripts.js';
import { untilAborted } from './internal.js';

/** @internal What {@link runScriptedExec} needs. */
export interface ScriptedExec {
  readonly inst: Instance;
  readonly ref: ContainerRef;
  readonly argv: readonly string[];
  readonly script: ExecScript;
  readonly clock: Clock;
  /** The caller's signal. */
  readonly signal: AbortSignal;
  /** Record the result (it settled with one). */
  readonly onResult: (result: ExecResult) => void;
  /** Record the failure and rethrow it. */
  readonly onFailure: (error: unknown) => never;
}

/**
 * @internal Run the exec. The promise it returns is registered on the instance until it settles,
 * so that the instance reports its exit only once every exec in it has settled (the order the
 * Runtime port asks of an adapter: see `waitContainer`).
 */
export function runScriptedExec(call: ScriptedExec): Promise<ExecResult> {
  const { inst, ref, argv, script, clock, signal: callerSignal } = call;
  const controller = new AbortController();
  // The race's abort branch is rejected directly (first, as a listener on `signal` registered before
  // the script's would be): no listener of our own on `signal` to add and remove on every exec.
  let abortRace!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, reject) => (abortRace = reject));
  const abort = (reason: unknown): void => {
    abortRace(reason);
    controller.abort(reason);
  };
  const onAbort = (): void => abort(callerSignal.reason);
  let killedWithContainer!: (result: ExecResult) => void;
  const killed = new Promise<ExecResult>((resolve) => (killedWithContainer = resolve));
  const onExit = (error: Error): void => {
    killedWithContainer({ exitCode: 137, stdout: '', stderr: '' });
    abort(error);
  };
  callerSignal.addEventListener('abort', onAbort, { once: true });
  inst.killExecs.add(onExit);
  const signal = controller.signal;
  // Whether `signal` may still have a listener once the race settled: a script function's own, or a
  // data script's wait (`delayMs`, `hang`) that has not ended. Aborting an AbortSignal costs ≈ 7-14 µs
  // (an Event, and a DOMException without a reason), so a data script that ran to its end skips it.
  let listened = typeof script === 'function';
  const run = async (): Promise<ExecResult> => {
    if (typeof script === 'function') {
      const at = clock.now();
      return script({ argv, ref, signal, at, atMs: at });
    }
    listened = true;
    if ('delayMs' in script && script.delayMs !== undefined && script.delayMs > 0)
      await sleepOn(clock, script.delayMs, signal);
    if ('hang' in script) return untilAborted(signal).promise;
    listened = false;
    if ('reject' in script) throw script.reject;
    if ('malformed' in script) return script.malformed as ExecResult;
    if ('throw' in script) throw script.throw;
    return { exitCode: script.exitCode, stdout: script.stdout ?? '', stderr: script.stderr ?? '' };
  };
  const result = Promise.race([killed, aborted, run()])
    .then((value) => {
      call.onResult(value);
      return value;
    }, call.onFailure)
    .finally(() => {
      // Leave no listener behind on the caller's signal: the manager may pass it to many calls.
      callerSignal.removeEventListener('abort', onAbort);
      inst.killExecs.delete(onExit);
      if (listened) controller.abort();
    });
  inst.execs.add(result);
  const forget = (): void => void inst.execs.delete(result);
  result.then(forget, forget);
  return result;
}
