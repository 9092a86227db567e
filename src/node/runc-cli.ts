/**
 * A thin wrapper over the `runc` / `crun` command line (both accept the same subcommands).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { type Clock, sleepOn } from '../ports/clock.js';
import { type CapturedRun, DEFAULT_OUTPUT_CAP_BYTES, runCaptured } from './child.js';
import { NodeAdapterError } from './errors.js';

/** The state `runc state <id>` reports. */
export interface OciState {
  readonly status: 'creating' | 'created' | 'running' | 'paused' | 'stopped' | string;
  readonly pid: number;
}

/** runc/crun wording for "no such container" and "it is not running any more". */
const GONE = /does not exist|not running|no such process|no such file|not found|container .* stopped/i;

/** Options of {@link RuncCli}. */
export interface RuncCliOptions {
  /** Binary name or path. */
  readonly binary: string;
  /** `--root` (the runtime's state directory); undefined = the runtime's default (`/run/runc`). */
  readonly root?: string | undefined;
  readonly clock: Clock;
}

/** Runs OCI runtime commands; maps a missing binary to `ERR_RUNTIME_BINARY_NOT_FOUND`. */
export class RuncCli {
  constructor(private readonly options: RuncCliOptions) {}

  /** The binary as configured. */
  get binary(): string {
    return this.options.binary;
  }

  /** Global arguments that precede every subcommand (`--root`, and `--log` when given). */
  globalArgs(logFile?: string): string[] {
    const args = this.options.root === undefined ? [] : ['--root', this.options.root];
    return logFile === undefined ? args : [...args, '--log', logFile, '--log-format', 'json'];
  }

  /** Run a subcommand and capture its output; never rejects on a non-zero exit. */
  async run(
    args: readonly string[],
    options: { signal?: AbortSignal; logFile?: string; kill?: CapturedKill } = {},
  ): Promise<CapturedRun> {
    try {
      return await runCaptured(this.options.binary, [...this.globalArgs(options.logFile), ...args], {
        clock: this.options.clock,
        outputCapBytes: DEFAULT_OUTPUT_CAP_BYTES,
        signal: options.signal,
        kill: options.kill,
      });
    } catch (error) {
      throw this.mapSpawnError(error);
    }
  }

  /** `runc --version`, first line. */
  async version(): Promise<string> {
    const result = await this.run(['--version']);
    return result.stdout.split('\n')[0] ?? '';
  }

  /** `runc state <id>`; undefined when the container does not exist. */
  async state(id: string): Promise<OciState | undefined> {
    const result = await this.run(['state', id]);
    if (result.exitCode !== 0) {
      if (GONE.test(result.stderr)) return undefined;
      throw this.commandFailed(['state', id], result, id);
    }
    return JSON.parse(result.stdout) as OciState;
  }

  /** `runc kill <id> <signal>`; a container that is gone or stopped is not an error. */
  async kill(id: string, signal: number): Promise<void> {
    const result = await this.run(['kill', id, String(signal)]);
    if (result.exitCode !== 0 && !GONE.test(result.stderr))
      throw this.commandFailed(['kill', id, String(signal)], result, id);
  }

  /** `runc delete --force <id>`; a container that is already gone is not an error. */
  async delete(id: string): Promise<void> {
    const result = await this.run(['delete', '--force', id]);
    if (result.exitCode !== 0 && !GONE.test(result.stderr))
      throw this.commandFailed(['delete', '--force', id], result, id);
  }

  /** Error messages (level error/fatal) a run wrote to its `--log-format json` log file. */
  static async logErrors(logFile: string): Promise<string[]> {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    const errors: string[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string };
        if ((entry.level === 'error' || entry.level === 'fatal') && entry.msg !== undefined) errors.push(entry.msg);
      } catch {
        errors.push(line);
      }
    }
    return errors;
  }

  /**
   * The exit status runc logged (`--debug`: `"msg":"process exited","status":N`) when it reaped
   * the exec'd process: polls `logFile` on `clock` until the line appears (resolves with the status)
   * or `stop` aborts (never settles then). runc logs it before it waits for its output pipes, which
   * a background child of the exec'd process may hold open; crun logs nothing of the kind.
   */
  static async loggedProcessExit(logFile: string, clock: Clock, stop: AbortSignal): Promise<number> {
    let delayMs = 5;
    while (!stop.aborted) {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      const at = text.indexOf('"process exited"');
      if (at >= 0) {
        const line = text.slice(text.lastIndexOf('\n', at) + 1, text.indexOf('\n', at) >>> 0);
        try {
          const status = (JSON.parse(line) as { status?: unknown }).status;
          if (typeof status === 'number') return status;
        } catch {
          // a line still being written: read again
        }
      }
      await sleepOn(clock, delayMs, stop).catch(() => undefined);
      delayMs = Math.min(delayMs * 2, 50);
    }
    return new Promise<number>(() => undefined);
  }

  /** ENOENT → a message that says how to install the runtime. */
  mapSpawnError(error: unknown): unknown {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EACCES') return error;
    const name = this.options.binary.split('/').pop() ?? this.options.binary;
    return new NodeAdapterError(
      'ERR_RUNTIME_BINARY_NOT_FOUND',
      `OCI runtime "${this.options.binary}" not found or not executable (${code}): install it ` +
        `(Debian/Ubuntu: apt-get install -y ${name === 'crun' ? 'crun' : 'runc'}) or pass OciRuntimeOptions.runtimeBinary`,
      { cause: error },
    );
  }

  /** A failed subcommand as a `ERR_RUNTIME_COMMAND_FAILED` error carrying its stderr. */
  commandFailed(args: readonly string[], result: CapturedRun, containerId?: string): NodeAdapterError {
    const detail = result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}`;
    return new NodeAdapterError(
      'ERR_RUNTIME_COMMAND_FAILED',
      `${this.options.binary} ${args.join(' ')} failed: ${detail}`,
      containerId === undefined ? undefined : { containerId },
    );
  }
}

/** Custom kill for an aborted command (see `RunCapturedOptions.kill`). */
export type CapturedKill = NonNullable<Parameters<typeof runCaptured>[2]['kill']>;
