/**
 * The options of a pod's `waitExit` calls (src/pod/pod-sync.ts).
 *
 * @internal
 * @module
 */

/**
 * The options every `waitExit` call gets: its `signal`, aborted once the pod is final, is made
 * when a driver first reads it (the manager's driver never does: an `AbortSignal` with its own
 * hidden class and listener state is ≈ 0.7 KB per pod, docs/performance-history.md round 6).
 */
export class ExitWatch {
  #controller: AbortController | undefined = undefined;
  #aborted = false;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }
}
