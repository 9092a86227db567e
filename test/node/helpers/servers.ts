import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { makeSelfSignedCert } from './tls.js';

/** What a test server saw of one request. */
export interface SeenRequest {
  readonly url: string;
  readonly rawHeaders: readonly string[];
  readonly host: string | undefined;
}

/** A loopback server that records requests; close it in afterEach. */
export interface TestServer {
  readonly port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(server: Server, seen: SeenRequest[]): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function recording(handler: Handler, seen: SeenRequest[]): Handler {
  return (req, res) => {
    seen.push({ url: req.url ?? '', rawHeaders: req.rawHeaders, host: req.headers.host });
    handler(req, res);
  };
}

/** Plain HTTP server on 127.0.0.1. */
export function startHttpServer(handler: Handler = (_q, r) => r.end('ok')): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  return listen(http.createServer(recording(handler, seen)), seen);
}

let cachedCert: { key: string; cert: string } | undefined;

/** HTTPS server on 127.0.0.1 with a self-signed certificate made by openssl for this run. */
export function startHttpsServer(handler: Handler = (_q, r) => r.end('ok')): Promise<TestServer> {
  cachedCert ??= makeSelfSignedCert();
  const seen: SeenRequest[] = [];
  return listen(https.createServer(cachedCert, recording(handler, seen)), seen);
}
