import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LifecyclePolicy } from '../../src/index.js';
import { HttpRequestError, NodeHttpClient } from '../../src/node/index.js';
import { makeSelfSignedCert } from '../node/helpers/tls.js';
import { freePort, lines, listen, pod, rig, shMain, tempDir, until } from './node-adapters-harness.js';

// ---------------------------------------------------------------- NodeHttpClient through the manager

describe('httpGet hooks with NodeHttpClient against real servers (spec §5.2, docs/adapters.md "NodeHttpClient")', () => {
  async function httpPod(port: number, extra: Record<string, unknown> = {}, policy?: LifecyclePolicy) {
    const dir = tempDir();
    const p = pod([
      {
        name: 'main',
        ...shMain('trap \'echo SIGTERM >> "$DIR/log"; exit 0\' TERM;', dir),
        lifecycle: { preStop: { httpGet: { port, path: '/drain', ...extra } } },
      },
    ]);
    const r = rig(p, policy ? { policy } : {});
    await r.manager.startContainer(p, 'main');
    await until(() => existsSync(join(dir, 'ready')));
    return { p, r, dir };
  }

  it('a 500 from the drain endpoint still succeeds by default; the GET arrives before SIGTERM (k/k#56963)', async () => {
    const seen: Array<{ url: string | undefined; headers: http.IncomingHttpHeaders; sigtermBefore: boolean }> = [];
    let dirRef = '';
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers, sigtermBefore: lines(join(dirRef, 'log')).length > 0 });
      res.writeHead(500).end('nope');
    });
    const port = await listen(server);
    const { p, r, dir } = await httpPod(port);
    dirRef = dir;
    const res = await r.manager.deletePod(p);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/drain');
    expect(seen[0]?.sigtermBefore).toBe(false);
    expect(seen[0]?.headers['user-agent']).toBe('kube-lifecycle/1.35');
    expect(seen[0]?.headers.host).toBe(`127.0.0.1:${port}`);
    expect(res.containers[0]?.preStop.outcome).toBe('succeeded');
    expect(r.events.some((e) => e.reason === 'FailedPreStopHook')).toBe(false);
    expect(lines(join(dir, 'log'))).toEqual(['SIGTERM']);
  });

  it('policy httpStatus "probe": the 500 fails the hook (FailedPreStopHook) and the kill still proceeds', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(500).end();
    });
    const port = await listen(server);
    const { p, r, dir } = await httpPod(port, {}, { httpStatus: 'probe' });
    const res = await r.manager.deletePod(p);
    expect(res.containers[0]?.preStop.outcome).toBe('failed');
    const failed = r.events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ type: 'Warning', message: 'PreStopHook failed' });
    expect(failed[0]?.detail).toMatch(
      /^HTTP lifecycle hook \(\/drain\) for Container "main" in Pod "web_default\(u1\)" failed - error: /,
    );
    expect(res.containers[0]?.outcome).toBe('stopped');
    expect(lines(join(dir, 'log'))).toEqual(['SIGTERM']);
  });

  it("connection refused: the detail carries Go's url.Error text exactly once", async () => {
    const port = await freePort();
    const { p, r } = await httpPod(port);
    const res = await r.manager.deletePod(p);
    const failed = r.events.filter((e) => e.reason === 'FailedPreStopHook');
    expect(failed).toHaveLength(1);
    const goErr = `Get "http://127.0.0.1:${port}/drain": dial tcp 127.0.0.1:${port}: connect: connection refused`;
    expect(failed[0]?.detail).toBe(
      `HTTP lifecycle hook (/drain) for Container "main" in Pod "web_default(u1)" failed - error: ${goErr}`,
    );
    expect(failed[0]!.detail!.split('connection refused')).toHaveLength(2);
    expect(failed[0]!.detail!.split('Get "')).toHaveLength(2);
    expect(res.containers[0]?.preStop.message).toBe(failed[0]?.detail);
    // directly
    const err = await new NodeHttpClient()
      .request(
        { method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: [] },
        { signal: new AbortController().signal },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', url: `http://127.0.0.1:${port}/x` });
    expect((err as Error).message).toBe(
      `Get "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it('a drain endpoint that never answers: preStop timedOut at the grace; the request is aborted once the container exited', async () => {
    let closed = false;
    const server = http.createServer((req) => {
      req.socket.on('close', () => {
        closed = true;
      });
    });
    const port = await listen(server);
    const { p, r } = await httpPod(port);
    const t0 = Date.now();
    const res = await r.manager.deletePod(p, { gracePeriodSeconds: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(res.containers[0]?.preStop.outcome).toBe('timedOut');
    expect(res.containers[0]?.stopTimeoutSeconds).toBe(2);
    await until(() => closed, 2000);
  });

  describe('HTTPS', () => {
    let key = '';
    let cert = '';
    beforeAll(() => {
      ({ key, cert } = makeSelfSignedCert());
    });

    it('an HTTPS hook against a self-signed certificate succeeds (no TLS verification); no fallback event', async () => {
      const seen: string[] = [];
      const server = https.createServer({ key, cert }, (req, res) => {
        seen.push(String(req.url));
        res.writeHead(204).end();
      });
      const port = await listen(server);
      const { p, r } = await httpPod(port, { scheme: 'HTTPS' });
      const res = await r.manager.deletePod(p);
      expect(res.containers[0]?.preStop.outcome).toBe('succeeded');
      expect(seen).toEqual(['/drain']);
      expect(r.events.map((e) => e.reason)).toEqual(['Started', 'Killing']);
      // directly
      const resp = await new NodeHttpClient().request(
        { method: 'GET', url: `https://localhost:${port}/x`, headers: [] },
        { signal: new AbortController().signal },
      );
      expect(resp.status).toBe(204);
    });

    it('HTTPS hook on a plain-HTTP server: one retry over http without Authorization, Warning LifecycleHTTPFallback on the Pod (spec §5.2)', async () => {
      const seen: Array<{ url: string | undefined; auth: string | undefined; other: string | undefined }> = [];
      const server = http.createServer((req, res) => {
        seen.push({
          url: req.url,
          auth: req.headers.authorization,
          other: req.headers['x-drain'] as string | undefined,
        });
        res.writeHead(200).end('ok');
      });
      const port = await listen(server);
      const { p, r } = await httpPod(port, {
        scheme: 'HTTPS',
        httpHeaders: [
          { name: 'Authorization', value: 'Bearer s3cret' },
          { name: 'X-Drain', value: 'yes' },
        ],
      });
      const res = await r.manager.deletePod(p);
      expect(res.containers[0]?.preStop.outcome).toBe('succeeded');
      expect(seen).toEqual([{ url: '/drain', auth: undefined, other: 'yes' }]);
      const fb = r.events.filter((e) => e.reason === 'LifecycleHTTPFallback');
      expect(fb).toHaveLength(1);
      expect(fb[0]).toMatchObject({
        type: 'Warning',
        message: `request to HTTPS lifecycle hook 127.0.0.1:${port} got HTTP response, retry with HTTP succeeded`,
        object: { kind: 'Pod', name: 'web', namespace: 'default' },
      });
      expect(r.events.some((e) => e.reason === 'FailedPreStopHook')).toBe(false);
      // directly: the client's own error
      const err = await new NodeHttpClient()
        .request(
          { method: 'GET', url: `https://127.0.0.1:${port}/x`, headers: [] },
          { signal: new AbortController().signal },
        )
        .catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'HTTP_RESPONSE_TO_HTTPS_CLIENT',
        message: `Get "https://127.0.0.1:${port}/x": server gave HTTP response to HTTPS client`,
      });
    });
  });
});
