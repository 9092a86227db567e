import { STATUS_CODES } from 'node:http';
import http2 from 'node:http2';
import { LifecycleError } from '../errors.js';
import type { GrpcHealthChecker } from '../ports/grpc-health-checker.js';
import { goDialErrorText, joinHostPort } from './dial-errors.js';
import {
  decodeFrames,
  decodeGrpcMessage,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  GRPC_CODE_NAMES,
  HTTP_STATUS_TO_GRPC_CODE,
} from './grpc-health-wire.js';

/**
 * Why a {@link NodeGrpcHealthChecker} call failed. `code` is the gRPC status code name as Go
 * writes it (`Unavailable`, `Unimplemented`, `DeadlineExceeded`, `Canceled`, `Internal`, …);
 * `message` is grpc-go's error text, `rpc error: code = <code> desc = <description>`, e.g.
 * `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1: connect: connection refused"`.
 */
export class GrpcHealthCheckError extends LifecycleError<string> {
  override readonly name = 'GrpcHealthCheckError';
  /** The description alone (grpc-go's `status.Message()`), e.g. the server's `grpc-message`. */
  readonly description: string;

  constructor(code: string, description: string, options?: { cause?: unknown }) {
    super(code, `rpc error: code = ${code} desc = ${description}`, options);
    this.description = description;
  }
}

/** Options of {@link NodeGrpcHealthChecker}. */
export interface NodeGrpcHealthCheckerOptions {
  /** The `user-agent` header. @default "kube-probe/1.35" (the kubelet's, without grpc-go's suffix) */
  readonly userAgent?: string;
}

/**
 * A {@link GrpcHealthChecker} on `node:http2`, as the kubelet's grpc probe (pkg/probe/grpc):
 * plaintext HTTP/2 (h2c, no TLS), one connection per check, the standard
 * `grpc.health.v1.Health/Check` with a hand-encoded protobuf request and response (no dependency).
 * No timeout of its own: the signal ends the call (a `TimeoutError` reason reads as grpc-go's
 * `DeadlineExceeded`, another reason as `Canceled`). Failures reject with a
 * {@link GrpcHealthCheckError}: `grpc-status`/`grpc-message` trailers, a server that is not gRPC
 * (grpc-go's mapping of the HTTP status and content type), a connection lost (`Unavailable`). A
 * connection that cannot be made is dialled again until the signal aborts (`grpc.WithBlock()`).
 *
 * @example
 * ```ts
 * const status = await new NodeGrpcHealthChecker().check('127.0.0.1', 9090, '', { signal: AbortSignal.timeout(1_000) });
 * if (status !== 'SERVING') console.log(`service unhealthy (responded with "${status}")`);
 * ```
 */
export class NodeGrpcHealthChecker implements GrpcHealthChecker {
  private readonly userAgent: string;

  constructor(options: NodeGrpcHealthCheckerOptions = {}) {
    this.userAgent = options.userAgent ?? 'kube-probe/1.35';
  }

  /** Reports its connection through `onConnected` (the kubelet's blocking dial). */
  readonly reportsConnection = true;

  /**
   * One `Health/Check` call; resolves with the serving status name. A connection that cannot be
   * made (refused, unreachable) is dialled again, after 1 s and then 1.6 times longer each time
   * (grpc-go's back-off, without its jitter), until `signal` aborts: the kubelet dials with
   * `grpc.WithBlock()`. `onConnected` is called once the connection is up.
   */
  check(
    host: string,
    port: number,
    service: string,
    options: { signal: AbortSignal; onConnected?: () => void },
  ): Promise<string> {
    const { signal, onConnected } = options;
    if (signal.aborted) return Promise.reject(aborted(signal.reason));
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      let session: http2.ClientHttp2Session | undefined;
      let redial: ReturnType<typeof setTimeout> | undefined;
      let delayMs = FIRST_REDIAL_MS;
      const finish = (outcome: { status: string } | { error: GrpcHealthCheckError }): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (redial !== undefined) clearTimeout(redial);
        session?.destroy();
        if ('status' in outcome) resolve(outcome.status);
        else reject(outcome.error);
      };
      const onAbort = (): void => finish({ error: aborted(signal.reason) });
      signal.addEventListener('abort', onAbort, { once: true });
      const dial = (): void => {
        redial = undefined;
        let connected = false;
        const current = http2.connect(`http://${joinHostPort(host, port)}`);
        session = current;
        current.on('error', (error: Error) => {
          if (!connected && goDialErrorText(host, port, error) !== undefined) {
            // Not connected yet: a blocking dial waits and tries again.
            current.destroy();
            if (!settled) redial = setTimeout(dial, delayMs);
            delayMs = Math.min(delayMs * REDIAL_MULTIPLIER, MAX_REDIAL_MS);
            return;
          }
          finish({ error: connectionError(host, port, error) });
        });
        current.once('connect', () => {
          connected = true;
          try {
            onConnected?.();
          } catch {}
          this.request(current, service, finish, (error) => finish({ error: connectionError(host, port, error) }));
        });
      };
      dial();
    });
  }

  /** The `Health/Check` stream on a connected session. */
  private request(
    session: http2.ClientHttp2Session,
    service: string,
    finish: (outcome: { status: string } | { error: GrpcHealthCheckError }) => void,
    fail: (error: Error) => void,
  ): void {
    const request = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': this.userAgent,
    });
    request.on('error', fail);
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    request.on('response', (h) => {
      headers = h;
    });
    request.on('trailers', (t) => {
      trailers = t;
    });
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => finish(evaluate(headers, trailers, Buffer.concat(chunks))));
    request.on('close', () =>
      finish({ error: new GrpcHealthCheckError('Unavailable', 'error reading from server: EOF') }),
    );
    request.end(encodeHealthCheckRequest(service));
  }
}

/** grpc-go's reconnect back-off: 1 s, then × 1.6 up to 120 s (its jitter left out). */
const FIRST_REDIAL_MS = 1_000;
const REDIAL_MULTIPLIER = 1.6;
const MAX_REDIAL_MS = 120_000;

/** The outcome of a finished response, as grpc-go would judge it. */
function evaluate(
  headers: http2.IncomingHttpHeaders,
  trailers: http2.IncomingHttpHeaders,
  body: Buffer,
): { status: string } | { error: GrpcHealthCheckError } {
  const httpStatus = Number(headers[':status']);
  const contentType = String(headers['content-type'] ?? '');
  const isGrpc = /^application\/grpc($|[+;])/.test(contentType);
  if (!isGrpc || httpStatus !== 200) {
    const errors: string[] = [];
    if (httpStatus !== 200)
      errors.push(
        `unexpected HTTP status code received from server: ${httpStatus} (${STATUS_CODES[httpStatus] ?? ''})`,
      );
    if (!isGrpc) errors.push(`transport: received unexpected content-type ${JSON.stringify(contentType)}`);
    const code = httpStatus === 200 ? 'Unknown' : (HTTP_STATUS_TO_GRPC_CODE[httpStatus] ?? 'Unknown');
    return { error: new GrpcHealthCheckError(code, errors.join('; ')) };
  }
  // A trailers-only response carries grpc-status in the headers.
  const rawStatus = trailers['grpc-status'] ?? headers['grpc-status'];
  const rawMessage = trailers['grpc-message'] ?? headers['grpc-message'];
  if (rawStatus === undefined)
    return { error: new GrpcHealthCheckError('Internal', 'server closed the stream without sending trailers') };
  const grpcStatus = Number(rawStatus);
  if (grpcStatus !== 0) {
    const code = GRPC_CODE_NAMES[grpcStatus] ?? `Code(${String(rawStatus)})`;
    return { error: new GrpcHealthCheckError(code, decodeGrpcMessage(String(rawMessage ?? ''))) };
  }
  try {
    const [message, extra] = decodeFrames(body);
    if (message === undefined)
      return {
        error: new GrpcHealthCheckError('Internal', 'cardinality violation: received no response message'),
      };
    if (extra !== undefined)
      return {
        error: new GrpcHealthCheckError('Internal', 'cardinality violation: received more than one response message'),
      };
    return { status: decodeHealthCheckResponse(message) };
  } catch (error) {
    return {
      error: new GrpcHealthCheckError(
        'Internal',
        `grpc: failed to unmarshal the received message: ${(error as Error).message}`,
        {
          cause: error,
        },
      ),
    };
  }
}

function connectionError(host: string, port: number, failure: Error): GrpcHealthCheckError {
  // A stream canceled because the session failed carries the session's error as its cause.
  const error = failure.cause instanceof Error ? failure.cause : failure;
  const dial = goDialErrorText(host, port, error);
  const description =
    dial === undefined
      ? `connection error: desc = ${JSON.stringify(`transport: ${error.message}`)}`
      : `connection error: desc = ${JSON.stringify(`transport: Error while dialing: ${dial}`)}`;
  return new GrpcHealthCheckError('Unavailable', description, { cause: error });
}

function aborted(reason: unknown): GrpcHealthCheckError {
  const isTimeout = (reason as { name?: unknown } | null)?.name === 'TimeoutError';
  return isTimeout
    ? new GrpcHealthCheckError('DeadlineExceeded', 'context deadline exceeded', { cause: reason })
    : new GrpcHealthCheckError('Canceled', 'context canceled', { cause: reason });
}
