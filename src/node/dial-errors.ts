/**
 * Go's wording of network failures (`net.OpError` and friends), as the kubelet prints them in
 * probe and hook messages. Shared by the node adapters.
 * @module
 */
import { isIP } from 'node:net';

/** `host:port` as Go's `net.JoinHostPort` writes it (IPv6 in brackets). */
export function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The text Go's dialer gives for a Node connect error, e.g.
 * `dial tcp 127.0.0.1:1: connect: connection refused`; undefined for an error it does not know.
 */
export function goDialErrorText(host: string, port: number, error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const address = joinHostPort(host, port);
  const dial = `dial tcp ${address}`;
  const texts: Record<string, string> = {
    ECONNREFUSED: `${dial}: connect: connection refused`,
    EHOSTUNREACH: `${dial}: connect: no route to host`,
    ENETUNREACH: `${dial}: connect: network is unreachable`,
    ETIMEDOUT: `${dial}: connect: connection timed out`,
    EADDRNOTAVAIL: `${dial}: connect: cannot assign requested address`,
    ENOTFOUND: `dial tcp: lookup ${host}: no such host`,
    EAI_AGAIN: `dial tcp: lookup ${host}: temporary failure in name resolution`,
    ECONNRESET: `read tcp ${address}: read: connection reset by peer`,
    EPIPE: `write tcp ${address}: write: broken pipe`,
  };
  return texts[code];
}

/**
 * Go's text for a dial ended by its context: `i/o timeout` when the signal's reason is a
 * timeout (`AbortSignal.timeout`, a `TimeoutError`), `operation was canceled` otherwise.
 */
export function goDialAbortText(host: string, port: number, reason: unknown): string {
  const isTimeout = (reason as { name?: unknown } | null)?.name === 'TimeoutError';
  return `dial tcp ${joinHostPort(host, port)}: ${isTimeout ? 'i/o timeout' : 'operation was canceled'}`;
}
