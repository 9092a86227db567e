/**
 * The one settle helper of the test suite. It waits for an explicit signal rather than counting
 * microtask turns: a `setImmediate` callback runs only once the microtask queue is empty, so every
 * promise chain that does not wait on a timer or on I/O has settled when it resolves, however deep
 * the chain. Virtual time does not move (use the VirtualClock's `advance`/`runAll` for that).
 *
 * `macrotasks` > 1 is for chains that hop through a macrotask themselves (a real stream, a child
 * process callback, a `setImmediate` in test code): each extra turn lets one such hop through.
 */
export async function settle(macrotasks = 1): Promise<void> {
  for (let i = 0; i < macrotasks; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
