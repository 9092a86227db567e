/** One armed timer of a clock (internal; a VirtualClock's public view is `PendingTimer`). */
export interface TimerEntry {
  readonly deadlineAt: number;
  /** Arming order: breaks deadline ties first-in first-out. */
  readonly seq: number;
  /** Replaced by a no-op when the timer is cleared (see `TimerQueue.clear`). */
  callback: () => void;
  readonly label: string | undefined;
  /** The clock that armed it (a handle from another clock is ignored by `clearTimeout`). */
  readonly owner: object;
  /** 'pending' until fired or cleared. */
  state: 'pending' | 'fired' | 'cleared';
}

function dropped(): void {}

const before = (a: TimerEntry, b: TimerEntry): boolean =>
  a.deadlineAt < b.deadlineAt || (a.deadlineAt === b.deadlineAt && a.seq < b.seq);

/**
 * Binary min-heap of timers ordered by (deadline, arming order), with lazy removal of cleared
 * timers: `clear` is O(1), and the heap is rebuilt when cleared entries outnumber live ones, so
 * arm-and-cancel loops (a grace timer per hook) do not grow memory. Internal: it holds the
 * timers of `systemClock` and of the testing kit's `VirtualClock`.
 */
export class TimerQueue {
  readonly #heap: TimerEntry[] = [];
  #live = 0;

  /** Number of armed timers not yet fired or cleared. */
  get size(): number {
    return this.#live;
  }

  push(entry: TimerEntry): void {
    this.#heap.push(entry);
    this.#live++;
    this.#up(this.#heap.length - 1);
  }

  /** Mark a pending entry cleared; returns false when it was not pending. */
  clear(entry: TimerEntry): boolean {
    if (entry.state !== 'pending') return false;
    entry.state = 'cleared';
    // A cleared entry stays in the heap until it reaches the top or a compaction: drop its
    // callback now, so what the closure holds (a probe run's deadline state) can die young
    // instead of being promoted with the entry (docs/performance-history.md item 71).
    entry.callback = dropped;
    this.#live--;
    const garbage = this.#heap.length - this.#live;
    if (garbage > 1024 && garbage > this.#live) this.#compact();
    return true;
  }

  /** The earliest pending entry, or undefined. */
  peek(): TimerEntry | undefined {
    this.#dropClearedHead();
    return this.#heap[0];
  }

  /** Remove and return the earliest pending entry (marked 'fired'), or undefined. */
  pop(): TimerEntry | undefined {
    this.#dropClearedHead();
    const top = this.#removeTop();
    if (top === undefined) return undefined;
    top.state = 'fired';
    this.#live--;
    return top;
  }

  /** Pending entries in firing order (a sorted copy; O(n log n)). */
  list(): TimerEntry[] {
    return this.#heap.filter((e) => e.state === 'pending').sort((a, b) => (before(a, b) ? -1 : 1));
  }

  #dropClearedHead(): void {
    while (this.#heap.length > 0 && this.#heap[0]!.state !== 'pending') this.#removeTop();
  }

  #removeTop(): TimerEntry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top !== undefined && last !== undefined && heap.length > 0) {
      heap[0] = last;
      this.#down(0);
    }
    return top;
  }

  /**
   * Drop the cleared entries in place and restore the heap bottom-up (Floyd): O(n), where pushing
   * the live entries one by one was O(n log n). It runs inside a `clearTimeout`, so on
   * `systemClock` its time delays every timer due meanwhile (a burst of 10,000 stops clears as
   * many deadline races while their SIGKILLs are due).
   */
  #compact(): void {
    const heap = this.#heap;
    let kept = 0;
    for (let i = 0; i < heap.length; i++) {
      const entry = heap[i]!;
      if (entry.state === 'pending') heap[kept++] = entry;
    }
    heap.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #up(index: number): void {
    const heap = this.#heap;
    let i = index;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const n = heap.length;
    let i = index;
    const item = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}

/**
 * Run `callbacks` in order (a clock's `whenIdle` batch): a throw does not stop the others; the
 * first error is rethrown once all have run. Internal, shared by `systemClock` and `VirtualClock`.
 */
export function runCallbacks(callbacks: readonly (() => void)[]): void {
  let firstError: { error: unknown } | undefined;
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      firstError ??= { error };
    }
  }
  if (firstError !== undefined) throw firstError.error;
}
