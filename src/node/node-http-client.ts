import { Buffer } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { LifecycleError } from '../errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../ports/http-client.js';
import { HTTP_RESPONSE_TO_HTTPS_CLIENT } from '../ports/http-client.js';

/** At most this much of a response body is read (then the connection is dropped), as the kubelet. */
export const MAX_RESPONSE_BODY_BYTES = 10 * 1024;

/**
 * Stable codes of {@link HttpRequestError}: {@link HTTP_RESPONSE_TO_HTTPS_CLIENT} (the port's
 * contract, spec §5.2), the URL checks, cancellation, the socket errors the kubelet's wording
 * knows, and `ERR_HTTP_REQUEST` for any other failure (Node's own error is then the `cause`).
 */
export type HttpRequestErrorCode =
  | typeof HTTP_RESPONSE_TO_HTTPS_CLIENT
  | 'ERR_INVALID_URL'
  | 'ERR_UNSUPPORTED_PROTOCOL'
  | 'ABORT_ERR'
  | 'ECONNREFUSED'
  | 'EHOSTUNREACH'
  | 'ENETUNREACH'
  | 'ETIMEDOUT'
  | 'ENOTFOUND'
  | 'EAI_AGAIN'
  | 'ECONNRESET'
  | 'EPIPE'
  | 'ERR_DISPOSED'
  | 'ERR_HTTP_REQUEST';

/**
 * The error a {@link NodeHttpClient} request rejects with, a `LifecycleError` with a stable
 * {@link HttpRequestErrorCode}. `message` is in the form of Go's `url.Error`, as the kubelet would
 * print it, e.g. `Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused`.
 */
export class HttpRequestError extends LifecycleError<HttpRequestErrorCode> {
  override readonly name = 'HttpRequestError';
  /** The request URL. */
  readonly url: string;

  constructor(url: string, code: HttpRequestErrorCode, detail: string, cause?: unknown) {
    super(code, `Get ${JSON.stringify(url)}: ${detail}`, cause === undefined ? undefined : { cause });
    this.url = url;
  }
}

/** TLS handshake failures that mean "the server answered in plain text". */
const PLAIN_HTTP_TLS_ERRORS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
]);

/**
 * An `HttpClient` on `node:http`/`node:https`, behaving like the kubelet's lifecycle HTTP client:
 * - one connection per request (no keep-alive), never a proxy (environment proxies are ignored);
 * - no certificate verification (`rejectUnauthorized: false`); SNI is the URL host name
 *   (not the `Host` header, as in Go), none for an IP address;
 * - no redirect following: the 3xx and its `location` are returned for the core to judge;
 * - headers sent in order with repeats kept; a `Host` header sets the virtual host;
 * - response header names lower-cased, repeated headers joined with `", "`;
 * - the body is read up to 10 KiB ({@link MAX_RESPONSE_BODY_BYTES}) and discarded; a longer body
 *   (or a declared `content-length` over the cap) drops the connection; body errors are ignored;
 *   with `readBodyBytes` (the httpGet probe) the first that many bytes are returned as `body`
 *   (UTF-8) and the connection is dropped once they are in;
 * - no timeout of its own: the request ends when the signal aborts (`Get "…": context canceled`);
 * - failures reject with an {@link HttpRequestError}; an HTTPS request answered in plain HTTP
 *   rejects with code `HTTP_RESPONSE_TO_HTTPS_CLIENT` and message
 *   `Get "<url>": server gave HTTP response to HTTPS client`;
 * - {@link NodeHttpClient.dispose} ends every request in flight (code `ERR_DISPOSED`) and refuses
 *   new ones, so nothing of the client keeps a process alive.
 */
export class NodeHttpClient implements HttpClient {
  /** Cancels of the requests in flight. */
  private readonly inFlight = new Set<() => void>();
  private disposed: Promise<void> | undefined;

  /**
   * End every request in flight (they reject with code `ERR_DISPOSED`, their sockets destroyed)
   * and reject any later request. Idempotent.
   */
  dispose(): Promise<void> {
    if (this.disposed === undefined) {
      for (const cancel of [...this.inFlight]) cancel();
      this.disposed = Promise.resolve();
    }
    return this.disposed;
  }

  /** Send one GET; resolve with the status and headers (and `body` if asked) once the body was read. */
  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse> {
    const { url } = request;
    const { signal } = options;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      return Promise.reject(
        new HttpRequestError(url, 'ERR_INVALID_URL', `parse ${JSON.stringify(url)}: invalid URL`, error),
      );
    }
    const scheme = parsed.protocol.slice(0, -1);
    if (scheme !== 'http' && scheme !== 'https') {
      return Promise.reject(
        new HttpRequestError(url, 'ERR_UNSUPPORTED_PROTOCOL', `unsupported protocol scheme ${JSON.stringify(scheme)}`),
      );
    }
    if (signal.aborted) return Promise.reject(canceled(url, signal.reason));
    if (this.disposed !== undefined) return Promise.reject(disposedError(url));
    const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = parsed.port === '' ? (scheme === 'https' ? 443 : 80) : Number(parsed.port);
    const target = { hostname, port, scheme };

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        this.inFlight.delete(cancel);
        fn();
      };
      // With headers given as a list Node adds no Host header of its own; Go sends the URL's host.
      const hasHost = request.headers.some(([name]) => name.toLowerCase() === 'host');
      const flatHeaders = [
        ...(hasHost ? [] : ['Host', parsed.host]),
        ...request.headers.flatMap(([name, value]) => [name, goHeaderBytes(value)]),
      ];
      const common = {
        method: 'GET',
        hostname,
        port,
        path: `${parsed.pathname}${parsed.search}`,
        headers: flatHeaders as unknown as http.OutgoingHttpHeaders,
        agent: false as const,
      };
      const req =
        scheme === 'https'
          ? https.request({ ...common, rejectUnauthorized: false, servername: isIP(hostname) === 0 ? hostname : '' })
          : http.request(common);
      const onAbort = (): void => {
        settle(() => reject(canceled(url, signal.reason)));
        req.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const cancel = (): void => {
        settle(() => reject(disposedError(url)));
        req.destroy();
      };
      this.inFlight.add(cancel);
      req.once('error', (error) => settle(() => reject(describeFailure(url, target, error))));
      req.once('response', (res) => {
        const response: HttpResponse = { status: res.statusCode ?? 0, headers: lowerCaseHeaders(res.rawHeaders) };
        const keep = bodyLimit(request.readBodyBytes);
        const chunks: Buffer[] = [];
        let received = 0;
        const done = (): void =>
          settle(() =>
            resolve(
              keep === 0 ? response : { ...response, body: Buffer.concat(chunks).subarray(0, keep).toString('utf8') },
            ),
          );
        const declared = Number(res.headers['content-length']);
        if (keep === 0 && Number.isFinite(declared) && declared > MAX_RESPONSE_BODY_BYTES) {
          res.destroy();
          done();
          return;
        }
        res.on('data', (chunk: Buffer) => {
          if (received < keep) chunks.push(chunk);
          received += chunk.length;
          // Kept bytes: read up to the limit and stop (Go's ReadAtMost); else drain up to the cap.
          if (keep > 0 ? received >= keep : received > MAX_RESPONSE_BODY_BYTES) {
            res.destroy();
            done();
          }
        });
        res.once('end', done);
        res.once('close', done);
        res.once('error', done);
      });
      req.end();
    });
  }
}

/** How many body bytes a request asks to keep: a positive whole number, else none. */
function bodyLimit(readBodyBytes: number | undefined): number {
  return typeof readBodyBytes === 'number' && Number.isSafeInteger(readBodyBytes) && readBodyBytes > 0
    ? readBodyBytes
    : 0;
}

/**
 * A header value as the bytes Go puts on the wire: Go strings are UTF-8 bytes and
 * `httpguts.ValidHeaderFieldValue` accepts every byte ≥ 0x80, so `X-Emoji: 😀` goes out as its
 * four UTF-8 bytes. Node writes header strings as latin1 and rejects characters above U+00FF
 * (`ERR_INVALID_CHAR`), so the value is handed over as one latin1 character per UTF-8 byte.
 * (Control bytes were already refused by the core's `checkRequestHeaders`, as Go's transport does.)
 */
function goHeaderBytes(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

/** Response header names lower-cased; repeats joined with ", ". */
function lowerCaseHeaders(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

function disposedError(url: string): HttpRequestError {
  return new HttpRequestError(url, 'ERR_DISPOSED', 'NodeHttpClient was disposed');
}

function canceled(url: string, reason: unknown): HttpRequestError {
  return new HttpRequestError(url, 'ABORT_ERR', 'context canceled', reason);
}

/** Map a Node error to Go's wording (the kubelet puts it in the FailedPreStopHook detail). */
function describeFailure(
  url: string,
  target: { hostname: string; port: number; scheme: string },
  error: Error,
): HttpRequestError {
  const nodeCode = (error as NodeJS.ErrnoException).code ?? 'ERR_HTTP_REQUEST';
  const host =
    isIP(target.hostname) === 6 ? `[${target.hostname}]:${target.port}` : `${target.hostname}:${target.port}`;
  const dial = `dial tcp ${host}`;
  if (
    target.scheme === 'https' &&
    (PLAIN_HTTP_TLS_ERRORS.has(nodeCode) ||
      /wrong version number|packet length too long|http request/i.test(error.message))
  ) {
    return new HttpRequestError(url, HTTP_RESPONSE_TO_HTTPS_CLIENT, 'server gave HTTP response to HTTPS client', error);
  }
  const detail: Record<string, string> = {
    ECONNREFUSED: `${dial}: connect: connection refused`,
    EHOSTUNREACH: `${dial}: connect: no route to host`,
    ENETUNREACH: `${dial}: connect: network is unreachable`,
    ETIMEDOUT: `${dial}: connect: connection timed out`,
    ENOTFOUND: `dial tcp: lookup ${target.hostname}: no such host`,
    EAI_AGAIN: `dial tcp: lookup ${target.hostname}: temporary failure in name resolution`,
    ECONNRESET: `read tcp ${host}: read: connection reset by peer`,
    EPIPE: `write tcp ${host}: write: broken pipe`,
  };
  const known = detail[nodeCode];
  const code: HttpRequestErrorCode = known !== undefined ? (nodeCode as HttpRequestErrorCode) : 'ERR_HTTP_REQUEST';
  const text = error.message === 'socket hang up' ? 'EOF' : (known ?? error.message);
  return new HttpRequestError(url, code, text, error);
}
