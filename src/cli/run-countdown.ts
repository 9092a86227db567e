import type { LifecycleStep } from '../index.js';
import type { CliIo } from './io.js';
import { wallClock } from './run-runtime.js';

/**
 * `run`'s termination countdown (`terminating: SIGKILL in 12s (grace 30s)`): rewritten in place on
 * a terminal, every 5 s on a pipe. It follows what the manager actually did: the grace from
 * Killing, then the timeout of the latest stop handed to the runtime (a stop in progress keeps its
 * timeout unless the policy is `interrupt`, spec §4.2-F.6). Also owns printing, so that a line
 * printed while the status line shows clears it first.
 */
export class RunCountdown {
  readonly #io: CliIo;
  readonly #at: () => string;
  /** Per container, when SIGKILL is due as far as the manager's steps say. */
  readonly #killAt = new Map<string, number>();
  readonly #exited = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #deadline = 0;
  #effectiveGrace = 0;
  #started = false;
  #status = '';

  constructor(io: CliIo, at: () => string) {
    this.#io = io;
    this.#at = at;
  }

  /** A manager step: Killing and stop requests set when SIGKILL is due. */
  step(step: LifecycleStep): void {
    if ((step.kind === 'killing' || step.kind === 'stopRequested') && step.seconds !== undefined) {
      // Steps are stamped on the manager's clock (the wall clock `run` gives it).
      this.#killAt.set(step.container, step.time + step.seconds * 1000);
      this.#exited.delete(step.container);
    }
  }

  /** A container exited: it no longer holds the countdown. */
  exited(name: string): void {
    this.#exited.add(name);
  }

  /** A delete with `graceSeconds` was requested (a repeat delete can only shorten). */
  deleting(graceSeconds: number): void {
    this.#effectiveGrace = this.#started ? Math.min(this.#effectiveGrace, graceSeconds) : graceSeconds;
    if (!this.#started) this.#deadline = wallClock.now() + Math.max(graceSeconds, 0) * 1000;
    this.#started = true;
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      const due = [...this.#killAt].filter(([name]) => !this.#exited.has(name)).map(([, at]) => at);
      const left = Math.max(
        0,
        Math.ceil(((due.length > 0 ? Math.max(...due) : this.#deadline) - wallClock.now()) / 1000),
      );
      const text = `terminating: SIGKILL in ${left}s (grace ${this.#effectiveGrace}s)`;
      if (this.#io.isTTY && this.#io.control !== undefined) this.#setStatus(text);
      else if (left % 5 === 0 && left > 0) this.print(`${this.#at()}  ${text}`);
    }, 1000);
  }

  /** Ends the countdown and clears the status line. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#setStatus('');
  }

  /** Prints a line above the status line. */
  print(line: string): void {
    const io = this.#io;
    if (this.#status !== '') io.control?.('\r\x1b[K');
    io.stdout(`${line}\n`);
    if (this.#status !== '') io.stdout(this.#status);
  }

  #setStatus(text: string): void {
    const io = this.#io;
    if (!io.isTTY || io.control === undefined || (text === '' && this.#status === '')) return;
    this.#status = text;
    io.control('\r\x1b[K');
    io.stdout(text);
  }
}
