import net from 'node:net';
import { LifecycleError } from '../errors.js';
import type { TcpDialer } from '../ports/tcp-dialer.js';
import { goDialAbortText, goDialErrorText } from './dial-errors.js';

/** Stable codes of {@link TcpDialError}: Node's errno (`ECONNREFUSED`, …), `ETIMEDOUT` or `ABORT_ERR`. */
export type TcpDialErrorCode = string;

/**
 * Why a {@link NodeTcpDialer} could not connect. `message` is Go's `net.Dial` error, which the
 * kubelet's tcp probe (pkg/probe/tcp/tcp.go) reports as the probe output, e.g.
 * `dial tcp 127.0.0.1:1: connect: connection refused`; `code` is Node's errno, `ETIMEDOUT` for
 * an abort by a `TimeoutError` (`dial tcp …: i/o timeout`) or `ABORT_ERR` for another abort.
 */
export class TcpDialError extends LifecycleError<TcpDialErrorCode> {
  override readonly name = 'TcpDialError';
}

/**
 * A {@link TcpDialer} on `node:net`, as the kubelet's tcp probe: connect, then close at once (no
 * data sent). It has no timeout of its own: the signal ends the attempt (`AbortSignal.timeout(ms)`
 * words it as Go's `i/o timeout`). Nothing is left open once the promise settles.
 *
 * @example
 * ```ts
 * await new NodeTcpDialer().connect('127.0.0.1', 8080, { signal: AbortSignal.timeout(1_000) });
 * ```
 */
export class NodeTcpDialer implements TcpDialer {
  /** Resolve once a connection to `host:port` was established (and closed again). */
  connect(host: string, port: number, options: { signal: AbortSignal }): Promise<void> {
    const { signal } = options;
    if (signal.aborted) return Promise.reject(aborted(host, port, signal.reason));
    return new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host, port });
      const finish = (error?: TcpDialError): void => {
        signal.removeEventListener('abort', onAbort);
        socket.removeAllListeners();
        socket.on('error', () => undefined); // a late error of the destroyed socket
        socket.destroy();
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(aborted(host, port, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => finish());
      socket.once('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code ?? 'ERR_DIAL';
        const text = goDialErrorText(host, port, error) ?? `dial tcp ${host}:${port}: ${error.message}`;
        finish(new TcpDialError(code, text, { cause: error }));
      });
    });
  }
}

function aborted(host: string, port: number, reason: unknown): TcpDialError {
  const isTimeout = (reason as { name?: unknown } | null)?.name === 'TimeoutError';
  return new TcpDialError(isTimeout ? 'ETIMEDOUT' : 'ABORT_ERR', goDialAbortText(host, port, reason), {
    cause: reason,
  });
}
