/**
 * The handler runner (spec §5): the kubelet's `handlerRunner.Run`, on injected ports.
 *
 * @module
 */
import type { LifecycleHandler } from '../api/types.js';
import { runExecHandler } from './exec-handler.js';
import { internalFailure } from './format.js';
import { runHttpGetHandler } from './http-handler.js';
import { runSleepHandler } from './sleep-handler.js';
import type { HandlerOutcome, HandlerRunContext } from './types.js';

/**
 * Run one lifecycle handler and report how it went, as data. Dispatch as the kubelet: `exec`, then
 * `httpGet`, then `sleep`; anything else (a `tcpSocket`, an empty or missing handler) fails with
 * `invalid handler: <handler>` and the message `Cannot run handler: <error>` (spec §5.4).
 *
 * Never throws and never rejects, whatever the adapters do (throw, reject with any value, never
 * settle, return malformed results): each fault becomes `{ ok: false, error, message }` with the
 * kubelet's message format. An abort of `ctx.signal` settles the run at once, and once it has
 * settled no timer of the runner is left on `ctx.clock`.
 *
 * @example
 * const outcome = await runHandler({ exec: { command: ['sh', '-c', 'nginx -s quit'] } }, ctx);
 * if (!outcome.ok) console.log(outcome.message);
 */
export function runHandler(handler: LifecycleHandler, ctx: HandlerRunContext): Promise<HandlerOutcome> {
  try {
    const h: Partial<LifecycleHandler> = handler !== null && typeof handler === 'object' ? handler : {};
    // The exec runner never rejects by construction; the others are guarded here.
    if (isPresent(h.exec)) return runExecHandler(h.exec, ctx);
    if (isPresent(h.httpGet))
      return runHttpGetHandler(h.httpGet, ctx).catch((thrown: unknown) => internalFailure(thrown, ctx));
    if (isPresent(h.sleep))
      return runSleepHandler(h.sleep, ctx).catch((thrown: unknown) => internalFailure(thrown, ctx));
    const error = `invalid handler: ${formatHandler(handler)}`;
    return Promise.resolve({ ok: false, error, message: `Cannot run handler: ${error}` });
  } catch (thrown) {
    return Promise.resolve(internalFailure(thrown, ctx));
  }
}

function isPresent<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

/**
 * The handler as the kubelet prints it with `%v` (the generated protobuf `String()`), e.g.
 * `&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}`
 * (the port is Go's `%v` of an `intstr.IntOrString` value: `{<type> <int> <string>}`). Best effort:
 * only the handler kinds that reach this branch (tcpSocket, none) are rendered.
 */
export function formatHandler(handler: LifecycleHandler | null | undefined): string {
  if (handler === null || handler === undefined || typeof handler !== 'object') return 'nil';
  const tcp = handler.tcpSocket;
  const tcpText = isPresent(tcp)
    ? `&TCPSocketAction{Port:${formatIntOrString(tcp.port)},Host:${tcp.host ?? ''},}`
    : 'nil';
  return `&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:${tcpText},Sleep:nil,}`;
}

function formatIntOrString(port: unknown): string {
  return typeof port === 'string' ? `{1 0 ${port}}` : `{0 ${String(port ?? 0)} }`;
}
