/**
 * How a {@link FakeRuntime} runs one exec: the matched {@link ExecScript} on the clock, ended by
 * the caller's abort or by the container's exit (exit 137, as runc and containerd report an exec
 * killed with its container).
 *
 * @module
 */
import type { Clock } from '../ports/clock.js';
import type { ContainerRef, ExecResult } from '../ports/runtime.js';
import { type Instance, notRunning } from './fake-runtime-instances.js';
import type { ExecScript } from './fake-runtime-scripts.js';

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
 *
 * Only a script *function* gets an `AbortSignal` of its own (it may listen to it, and it is aborted
 * once the exec settled). A data script's wait (`delayMs`, `hang`) is ended directly by the abort:
 * the same clock calls and promise turns as an `AbortController` and `sleepOn`, without the
 * controller, its listener and the container exit's error nobody could read (docs/performance-history.md
 * round 6).
 */
export function runScriptedExec(call: ScriptedExec): Promise<ExecResult> {
  const { inst, ref, argv, script, clock, signal: callerSignal } = call;
  const controller = typeof script === 'function' ? new AbortController() : undefined;
  // The race's abort branch is rejected directly (first, as a listener on `signal` registered before
  // the script's would be): no listener of our own on `signal` to add and remove on every exec.
  let abortRace!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, reject) => (abortRace = reject));
  /** Ends a data script's pending wait (clears its timer first); undefined while none is pending. */
  let endWait: ((reason: unknown) => void) | undefined;
  const abort = (reason: unknown): void => {
    abortRace(reason);
    if (controller !== undefined) controller.abort(reason);
    else endWait?.(reason);
  };
  const onAbort = (): void => abort(callerSignal.reason);
  let killedWithContainer!: (result: ExecResult) => void;
  const killed = new Promise<ExecResult>((resolve) => (killedWithContainer = resolve));
  const onExit = (): void => {
    killedWithContainer({ exitCode: 137, stdout: '', stderr: '' });
    // The reason is seen only by a script function (its signal's reason): a data script's wait ends
    // unseen, the race having settled with exit 137.
    abort(controller === undefined ? undefined : notRunning(inst, 'exec'));
  };
  callerSignal.addEventListener('abort', onAbort, { once: true });
  inst.killExecs.add(onExit);
  /** A data script's `delayMs` on the clock, as `sleepOn` with a signal would wait it. */
  const sleep = (delayMs: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let handle: unknown;
      endWait = (reason) => {
        endWait = undefined;
        clock.clearTimeout(handle);
        reject(reason);
      };
      try {
        handle = clock.setTimeout(
          () => {
            endWait = undefined;
            resolve();
          },
          Math.max(0, delayMs),
        );
      } catch (error) {
        endWait = undefined;
        reject(error);
      }
    });
  const run = async (): Promise<ExecResult> => {
    if (controller !== undefined) {
      const at = clock.now();
      return (script as Extract<ExecScript, (call: never) => unknown>)({
        argv,
        ref,
        signal: controller.signal,
        at,
        atMs: at,
      });
    }
    const data = script as Exclude<ExecScript, (call: never) => unknown>;
    if ('delayMs' in data && data.delayMs !== undefined && data.delayMs > 0) await sleep(data.delayMs);
    if ('hang' in data) return new Promise<never>((_, reject) => (endWait = reject));
    if ('reject' in data) throw data.reject;
    if ('malformed' in data) return data.malformed as ExecResult;
    if ('throw' in data) throw data.throw;
    return { exitCode: data.exitCode, stdout: data.stdout ?? '', stderr: data.stderr ?? '' };
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
      // A script function's signal ends with its exec (aborting an aborted one only makes a DOMException).
      if (controller !== undefined && !controller.signal.aborted) controller.abort();
    });
  inst.execs.add(result);
  const forget = (): void => void inst.execs.delete(result);
  result.then(forget, forget);
  return result;
}
