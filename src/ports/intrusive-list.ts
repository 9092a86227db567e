/**
 * Allocation-free bookkeeping for the hot paths of a lifecycle cycle (docs/performance-history.md round 5
 * items 25–26): a doubly linked list whose nodes are the waiting objects themselves, and a promise
 * whose settle functions are handed out without a closure per call.
 *
 * @internal
 * @module
 */

/** A list of {@link ListNode}s in insertion order. */
export interface IntrusiveList<N> {
  head: N | undefined;
  tail: N | undefined;
}

/** An object that is its own node: joining and leaving a list allocates nothing (a `Set` reallocates its table). */
export interface ListNode<N> {
  list: IntrusiveList<N> | undefined;
  prev: N | undefined;
  next: N | undefined;
}

/** Append `node` (not in a list) at the tail of `list`. */
export function appendNode<N extends ListNode<N>>(list: IntrusiveList<N>, node: N): void {
  node.list = list;
  node.prev = list.tail;
  if (list.tail === undefined) list.head = node;
  else list.tail.next = node;
  list.tail = node;
}

/** Take `node` out of its list; nothing when it is in none. */
export function unlinkNode<N extends ListNode<N>>(node: N): void {
  const { list, prev, next } = node;
  if (list === undefined) return;
  if (prev === undefined) list.head = next;
  else prev.next = next;
  if (next === undefined) list.tail = prev;
  else next.prev = prev;
  node.list = node.prev = node.next = undefined;
}

type Resolve = (value: never) => void;
type Reject = (error: unknown) => void;
const noop = (): void => undefined;

/** The settle functions of the promise {@link capturedPromise} made last; read them at once. */
export const captured: { resolve: Resolve; reject: Reject } = { resolve: noop, reject: noop };

function capture(resolve: Resolve, reject: Reject): void {
  captured.resolve = resolve;
  captured.reject = reject;
}

/**
 * A new pending promise, its `resolve`/`reject` left in {@link captured} (one executor for every
 * call: no closure per promise). Read `captured` before making another.
 */
export function capturedPromise<T>(): Promise<T> {
  return new Promise<T>(capture as (resolve: (value: T) => void, reject: Reject) => void);
}
