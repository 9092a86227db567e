/**
 * Spawning helpers shared by the node adapters: run an argv without a shell, capture its output
 * up to a cap, honour an abort signal.
 * @module
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Clock } from '../ports/clock.js';
import { exitCodeForSignal } from './signals.js';

/** Default per-stream capture cap of `exec`: 1 MiB of stdout and 1 MiB of stderr. */
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;

/** Appended to a captured stream that went over the cap (the rest of the stream is read and dropped). */
export function truncationMarker(capBytes: number): string {
  return `\n[kube-lifecycle: output truncated after ${capBytes} bytes]`;
}

/** How long the output pipes may stay open after the process exited (a background child holding them). */
const PIPE_DRAIN_MS = 200;

/** Collects one stream up to `capBytes`, reading and dropping the rest so the writer never blocks. */
class CappedCollector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private isTruncated = false;

  constructor(
    private readonly capBytes: number,
    stream: Readable | null,
  ) {
    stream?.on('data', (chunk: Buffer) => this.push(chunk));
  }

  private push(chunk: Buffer): void {
    const room = this.capBytes - this.size;
    if (chunk.length > room) this.isTruncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    const body = Buffer.concat(this.chunks).toString('utf8');
    return this.isTruncated ? body + truncationMarker(this.capBytes) : body;
  }
}

/** Outcome of {@link runCaptured}. */
export interface CapturedRun {
  /** Exit code; for a process killed by a signal, 128 + the signal number. */
  readonly exitCode: number;
  /** The signal that killed the process, or null. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCaptured}. */
export interface RunCapturedOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string | undefined;
  /** Aborting kills the process (through `kill`) and rejects with `signal.reason` once it exited. */
  readonly signal?: AbortSignal | undefined;
  readonly outputCapBytes: number;
  /** Clock for the short pipe-drain window after exit. */
  readonly clock: Clock;
  /** Start the process in its own process group (and kill the whole group on abort). */
  readonly detached?: boolean;
  /** How to kill on abort. @default SIGKILL to the process (group when `detached`) */
  readonly kill?: ((child: ChildProcess) => void) | undefined;
  /** Called once the process is spawned (e.g. to track it for cleanup). */
  readonly onSpawn?: (child: ChildProcess) => void;
  /**
   * Resolves with the exit code of the process the command stands for, when that can end before
   * the command itself (`runc exec` waits for every holder of its output pipes, a background
   * child included). The run then resolves with that code after the pipe-drain window, leaving
   * the command to finish on its own (its further output is dropped).
   */
  readonly exitedEarly?: Promise<number>;
}

/** SIGKILL a process group, tolerating a group that is already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals | number): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Run `file` with `args` (no shell), capturing stdout and stderr up to `outputCapBytes` each.
 * Resolves with the exit status, rejects if the process cannot be spawned (the spawn error, e.g.
 * `ENOENT`) or when `signal` aborts (after the process was killed and has exited).
 */
export function runCaptured(file: string, args: readonly string[], options: RunCapturedOptions): Promise<CapturedRun> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<CapturedRun>((resolve, reject) => {
    const stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
    const child = spawn(file, [...args], {
      env: options.env,
      cwd: options.cwd,
      stdio,
      detached: options.detached ?? false,
      shell: false,
    });
    child.once('spawn', () => options.onSpawn?.(child));
    const stdout = new CappedCollector(options.outputCapBytes, child.stdout);
    const stderr = new CappedCollector(options.outputCapBytes, child.stderr);
    let settled = false;
    let drainTimer: unknown;
    const kill = (): void => {
      if (options.kill !== undefined) options.kill(child);
      else if (options.detached === true) killGroup(child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      try {
        kill();
      } catch {
        // already gone
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (drainTimer !== undefined) options.clock.clearTimeout(drainTimer);
      fn();
    };
    child.once('error', (error) => finish(() => reject(error)));
    options.exitedEarly?.then(
      (exitCode) => {
        if (settled || drainTimer !== undefined) return;
        drainTimer = options.clock.setTimeout(
          () =>
            finish(() => {
              if (signal?.aborted) reject(signal.reason);
              else resolve({ exitCode, signal: null, stdout: stdout.text(), stderr: stderr.text() });
            }),
          PIPE_DRAIN_MS,
        );
      },
      () => undefined,
    );
    child.once('exit', (code, sig) => {
      const done = (): void =>
        finish(() => {
          if (signal?.aborted) {
            reject(signal.reason);
            return;
          }
          resolve({
            exitCode: code ?? (sig === null ? 128 : exitCodeForSignal(sig)),
            signal: sig,
            stdout: stdout.text(),
            stderr: stderr.text(),
          });
        });
      // 'close' follows once the pipes are drained; a background child may hold them open.
      child.once('close', done);
      if (drainTimer !== undefined) options.clock.clearTimeout(drainTimer);
      drainTimer = options.clock.setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done();
      }, PIPE_DRAIN_MS);
    });
  });
}
