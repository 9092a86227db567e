/**
 * NodeGrpcHealthChecker against real node:http2 servers on 127.0.0.1: the grpc probe's port
 * (DESIGN §11; the kubelet's pkg/probe/grpc calls grpc.health.v1.Health/Check).
 */
import http2 from 'node:http2';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrames, decodeHealthCheckResponse, encodeHealthCheckRequest } from '../../src/node/grpc-health-wire.js';
import { NodeGrpcHealthChecker } from '../../src/node/node-grpc-health-checker.js';

type Handler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, service: string) => void;
const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A plaintext HTTP/2 server (on `port`, else a free one); `handler` answers each stream once the request body is in. */
async function serve(handler: Handler, port = 0): Promise<number> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const [message] = decodeFrames(Buffer.concat(chunks));
      // the request's field 1 (service), decoded by hand for the test
      const service = message !== undefined && message.length > 2 ? message.subarray(2).toString('utf8') : '';
      handler(stream, headers, service);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  servers.push({
    close: () =>
      new Promise<void>((r) => {
        for (const s of sessions) s.destroy();
        server.close(() => r());
      }),
  });
  return (server.address() as net.AddressInfo).port;
}

/** A grpc.health.v1 server: `statusOf(service)` is the ServingStatus number, or a gRPC error. */
function healthServer(statusOf: (service: string) => number | { grpcStatus: number; message: string }): Handler {
  return (stream, headers, service) => {
    expect(headers[':path']).toBe('/grpc.health.v1.Health/Check');
    expect(headers['content-type']).toBe('application/grpc');
    const answer = statusOf(service);
    if (typeof answer !== 'number') {
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(answer.grpcStatus),
          'grpc-message': encodeURIComponent(answer.message),
        },
        { endStream: true },
      );
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
    const message = answer === 0 ? Buffer.alloc(0) : Buffer.from([0x08, answer]);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(message.length, 1);
    stream.end(Buffer.concat([prefix, message]));
  };
}

const signal = (): AbortSignal => new AbortController().signal;
const checker = new NodeGrpcHealthChecker();

describe('NodeGrpcHealthChecker', () => {
  it('reports SERVING, NOT_SERVING, UNKNOWN and SERVICE_UNKNOWN per service', async () => {
    const statuses: Record<string, number> = { '': 1, db: 2, cache: 0, other: 3 };
    const seen: string[] = [];
    const port = await serve(
      healthServer((service) => {
        seen.push(service);
        return statuses[service] ?? 3;
      }),
    );
    for (const [service, expected] of [
      ['', 'SERVING'],
      ['db', 'NOT_SERVING'],
      ['cache', 'UNKNOWN'],
      ['other', 'SERVICE_UNKNOWN'],
    ]) {
      await expect(checker.check('127.0.0.1', port, service as string, { signal: signal() })).resolves.toBe(expected);
    }
    expect(seen).toEqual(['', 'db', 'cache', 'other']);
  });

  it('a grpc-status error rejects with grpc-go wording (Unimplemented: no health service)', async () => {
    const port = await serve(
      healthServer(() => ({ grpcStatus: 12, message: 'unknown service grpc.health.v1.Health' })),
    );
    await expect(checker.check('127.0.0.1', port, '', { signal: signal() })).rejects.toMatchObject({
      name: 'GrpcHealthCheckError',
      code: 'Unimplemented',
      description: 'unknown service grpc.health.v1.Health',
      message: 'rpc error: code = Unimplemented desc = unknown service grpc.health.v1.Health',
    });
  });

  it('a non-gRPC HTTP/2 server rejects as grpc-go judges it (HTTP status, content type)', async () => {
    const port = await serve((stream) => {
      stream.respond({ ':status': 404, 'content-type': 'text/plain' });
      stream.end('not found');
    });
    await expect(checker.check('127.0.0.1', port, '', { signal: signal() })).rejects.toMatchObject({
      code: 'Unimplemented',
      message:
        'rpc error: code = Unimplemented desc = unexpected HTTP status code received from server: 404 (Not Found); ' +
        'transport: received unexpected content-type "text/plain"',
    });
  });

  it('a refused connection is dialled again until the signal ends the call (grpc.WithBlock), never reporting a connection', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    let connected = 0;
    const t0 = performance.now();
    const call = checker.check('127.0.0.1', port, '', {
      signal: AbortSignal.timeout(1_300),
      onConnected: () => void connected++,
    });
    // A server that comes up meanwhile would be reached by the redial after 1 s; none does here.
    await expect(call).rejects.toMatchObject({ code: 'DeadlineExceeded' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_250);
    expect(connected).toBe(0);
    expect(checker.reportsConnection).toBe(true);
  });

  it('a server that starts listening while the check waits is reached by the redial (grpc.WithBlock)', async () => {
    const probePort = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    let connected = 0;
    const call = checker.check('127.0.0.1', probePort, '', { signal: signal(), onConnected: () => void connected++ });
    await new Promise((r) => setTimeout(r, 300)); // first dial refused; the next one is at 1 s
    await serve(
      healthServer(() => 1),
      probePort,
    );
    await expect(call).resolves.toBe('SERVING');
    expect(connected).toBe(1);
  });

  it('a server that never answers: the signal ends the call (DeadlineExceeded on a timeout, else Canceled)', async () => {
    const port = await serve(() => undefined); // reads the request, never responds
    const t0 = performance.now();
    await expect(checker.check('127.0.0.1', port, '', { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
      code: 'DeadlineExceeded',
      message: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded',
    });
    expect(performance.now() - t0).toBeLessThan(3000);
    const controller = new AbortController();
    const pending = checker.check('127.0.0.1', port, '', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('probe stopped')), 50);
    await expect(pending).rejects.toMatchObject({
      code: 'Canceled',
      message: 'rpc error: code = Canceled desc = context canceled',
    });
  });

  it('a plain TCP server that is not HTTP/2 at all rejects Unavailable, without hanging', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push({
      close: () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
    });
    const { port } = server.address() as net.AddressInfo;
    await expect(checker.check('127.0.0.1', port, '', { signal: AbortSignal.timeout(3000) })).rejects.toMatchObject({
      name: 'GrpcHealthCheckError',
      code: 'Unavailable',
    });
  });
});

describe('grpc.health.v1 wire format', () => {
  it('encodes the request with the 5-byte gRPC prefix; an empty service is an empty message', () => {
    expect([...encodeHealthCheckRequest('')]).toEqual([0, 0, 0, 0, 0]);
    expect([...encodeHealthCheckRequest('db')]).toEqual([0, 0, 0, 0, 4, 0x0a, 2, 0x64, 0x62]);
  });

  it('decodes the status, skipping unknown fields; an unnamed value is its number (Go String())', () => {
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 0x01]))).toBe('SERVING');
    expect(decodeHealthCheckResponse(Buffer.from([0x12, 0x01, 0x78, 0x08, 0x02]))).toBe('NOT_SERVING');
    expect(decodeHealthCheckResponse(Buffer.alloc(0))).toBe('UNKNOWN');
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 0x07]))).toBe('7');
    expect(() => decodeHealthCheckResponse(Buffer.from([0x08]))).toThrow(/truncated/);
  });
});
