/**
 * The tcpSocket probe (spec pod §6.2), after the kubelet's `pkg/probe/tcp/tcp.go`: connect
 * within the timeout → success (even if the peer closes at once); a dial error → failure with
 * its text; an unresolvable port → errored (`unknown`).
 *
 * @module
 */

import type { IntOrString } from '../api/types.js';
import { describeError } from '../hooks/format.js';
import { joinHostPort } from '../hooks/go-url.js';
import { resolveContainerPort } from '../hooks/http-request.js';
import { settle } from '../hooks/settle.js';
import type { ProbeOutcome, ProbeRunContext } from './probe-outcome.js';
import { noPodIPError, withDeadline } from './probe-outcome.js';

/** Run a tcpSocket probe through `ctx.tcpDialer`. Never rejects. */
export async function runTcpSocketProbe(
  tcpSocket: { readonly port: IntOrString; readonly host: string },
  timeoutSeconds: number,
  ctx: ProbeRunContext,
): Promise<ProbeOutcome> {
  const port = resolveContainerPort(tcpSocket.port, ctx.container);
  if (!port.ok) return { result: 'unknown', output: '', error: port.error };
  const host = tcpSocket.host !== '' ? tcpSocket.host : ctx.podIP;
  if (host === '') return { result: 'unknown', output: '', error: noPodIPError(ctx.pod) };
  const dialer = ctx.tcpDialer;
  if (dialer === undefined) {
    return {
      result: 'unknown',
      output: '',
      error: 'no TcpDialer: pass `tcpDialer` to the manager to run tcpSocket probes',
    };
  }
  const address = joinHostPort(host, String(port.port));
  return withDeadline(ctx.clock, timeoutSeconds * 1000, ctx.signal, async (signal, hasTimedOut) => {
    const settled = await settle(() => dialer.connect(host, port.port, { signal }), signal);
    if (settled.kind === 'fulfilled') return { result: 'success', output: '' };
    if (settled.kind === 'rejected') return { result: 'failure', output: describeError(settled.error) };
    // net.DialTimeout's deadline, or the worker stopping (context canceled).
    return hasTimedOut()
      ? { result: 'failure', output: `dial tcp ${address}: i/o timeout` }
      : { result: 'unknown', output: '', error: `dial tcp ${address}: operation was canceled` };
  });
}
