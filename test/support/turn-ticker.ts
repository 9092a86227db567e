/**
 * Counts microtask turns while running: one queued job per turn, in the same FIFO as promise
 * jobs, so `turn` read at any moment says how many turns have passed since `start()`. Used by
 * the turn-exact tests (test/container/turn-order.test.ts, test/pod/pod-worker-turns.test.ts)
 * that pin when every adapter call, event, step and result happens.
 */
export class Ticker {
  turn = 0;
  #on = false;

  start(): void {
    this.#on = true;
    const tick = (): void => {
      if (!this.#on) return;
      this.turn++;
      queueMicrotask(tick);
    };
    queueMicrotask(tick);
  }

  stop(): void {
    this.#on = false;
  }
}
