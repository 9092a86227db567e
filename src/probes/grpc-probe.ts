/**
 * The grpc probe (spec pod §6.2), after the kubelet's `pkg/probe/grpc/grpc.go`:
 * `grpc.health.v1.Health/Check{service}` on `podIP:port` (the pod IP always; the probe has no
 * host field) within the timeout. `SERVING` → success `service healthy`; any other status →
 * failure `service unhealthy (responded with "NOT_SERVING")`; errors → failure with the kubelet's
 * texts (see `GrpcHealthChecker`); the timeout → `timeout: failed to connect service "<addr>"
 * within 1s: context deadline exceeded` while a checker that reports its connection has none
 * (the kubelet's blocking dial), else `timeout: health rpc did not complete within 1s`.
 *
 * @module
 */

import { describeError, goQuote } from '../hooks/format.js';
import { joinHostPort } from '../hooks/go-url.js';
import { settle } from '../hooks/settle.js';
import type { ProbeOutcome, ProbeRunContext } from './probe-outcome.js';
import { goDurationSeconds, noPodIPError, withDeadline } from './probe-outcome.js';

/** gRPC status code `UNIMPLEMENTED`. */
const UNIMPLEMENTED = 12;

/** The output for a rejected `check` (see `GrpcHealthChecker` for the convention). */
export function grpcErrorOutput(error: unknown): string {
  let code: unknown;
  let details: unknown;
  try {
    code = (error as { code?: unknown } | null)?.code;
    details = (error as { details?: unknown } | null)?.details;
  } catch {
    code = undefined;
  }
  const text = describeError(error);
  if (code === UNIMPLEMENTED || code === 'UNIMPLEMENTED') {
    const message = typeof details === 'string' ? details : text;
    return `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${message}`;
  }
  if (text.startsWith('error: ') || text.startsWith('timeout: ')) return text;
  return `error: health rpc probe failed: ${text}`;
}

/** Run a grpc probe through `ctx.grpcHealthChecker`. Never rejects. */
export async function runGrpcProbe(
  grpc: { readonly port: number; readonly service: string },
  timeoutSeconds: number,
  ctx: ProbeRunContext,
): Promise<ProbeOutcome> {
  if (ctx.podIP === '') return { result: 'unknown', output: '', error: noPodIPError(ctx.pod) };
  const checker = ctx.grpcHealthChecker;
  if (checker === undefined) {
    return {
      result: 'unknown',
      output: '',
      error: 'no GrpcHealthChecker: pass `grpcHealthChecker` to the manager to run grpc probes',
    };
  }
  const host = ctx.podIP;
  // grpc.WithBlock(): a checker that reports its connection is not connected until it says so.
  let connected = checker.reportsConnection !== true;
  const onConnected = (): void => {
    connected = true;
  };
  return withDeadline(ctx.clock, timeoutSeconds * 1000, ctx.signal, async (signal, hasTimedOut) => {
    const settled = await settle(() => checker.check(host, grpc.port, grpc.service, { signal, onConnected }), signal);
    if (settled.kind === 'aborted') {
      if (hasTimedOut()) {
        const within = goDurationSeconds(timeoutSeconds);
        const address = goQuote(joinHostPort(host, String(grpc.port)));
        return {
          result: 'failure',
          output: connected
            ? `timeout: health rpc did not complete within ${within}`
            : `timeout: failed to connect service ${address} within ${within}: context deadline exceeded`,
        };
      }
      return {
        result: 'unknown',
        output: '',
        error: `error: failed to connect service at ${goQuote(joinHostPort(host, String(grpc.port)))}: context canceled`,
      };
    }
    if (settled.kind === 'rejected') return { result: 'failure', output: grpcErrorOutput(settled.error) };
    const status = String(settled.value);
    if (status === 'SERVING') return { result: 'success', output: 'service healthy' };
    return { result: 'failure', output: `service unhealthy (responded with ${goQuote(status)})` };
  });
}
