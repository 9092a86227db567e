// Dispatch (spec §5, §5.4) and the never-throw contract of runHandler.

import { readdirSync, readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { LifecycleHandler } from '../../src/api/types.js';
import { runHandler } from '../../src/hooks/index.js';
import { settle } from '../support/settle.js';
import { fakeHttp, fakeRuntime, makeCtx } from './helpers.js';

describe('dispatch (spec §5)', () => {
  it('exec wins over httpGet and sleep', async () => {
    const runtime = fakeRuntime(() => Promise.resolve({ exitCode: 0 }));
    const http = fakeHttp(() => Promise.resolve({ status: 200 }));
    const ctx = makeCtx({ runtime, httpClient: http });
    await runHandler({ exec: { command: ['a'] }, httpGet: { port: 80 }, sleep: { seconds: 5 } }, ctx);
    expect(runtime.calls).toHaveLength(1);
    expect(http.requests).toHaveLength(0);
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it('httpGet wins over sleep', async () => {
    const http = fakeHttp(() => Promise.resolve({ status: 200 }));
    const ctx = makeCtx({ httpClient: http });
    await expect(runHandler({ httpGet: { host: 'h', port: 80 }, sleep: { seconds: 5 } }, ctx)).resolves.toEqual({
      ok: true,
    });
    expect(http.requests).toHaveLength(1);
  });

  it('tcpSocket is an invalid handler (spec §5.4)', async () => {
    expect(await runHandler({ tcpSocket: { port: 8080 } }, makeCtx())).toMatchInlineSnapshot(`
      {
        "error": "invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}",
        "message": "Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}",
        "ok": false,
      }
    `);
    expect(await runHandler({ tcpSocket: { port: 'http', host: 'h' } }, makeCtx())).toMatchObject({
      error:
        'invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{1 0 http},Host:h,},Sleep:nil,}',
    });
  });

  it('an empty or missing handler is invalid too (TestRunHandlerNil [HT])', async () => {
    expect(await runHandler({}, makeCtx())).toEqual({
      ok: false,
      error: 'invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:nil,Sleep:nil,}',
      message: 'Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:nil,Sleep:nil,}',
    });
    expect(await runHandler(null as unknown as LifecycleHandler, makeCtx())).toMatchObject({
      ok: false,
      error: 'invalid handler: nil',
    });
    expect(await runHandler({ exec: null, sleep: undefined } as unknown as LifecycleHandler, makeCtx())).toMatchObject({
      ok: false,
    });
  });
});

/** Every way an adapter can misbehave. */
const fault = fc.oneof(
  fc.record({ kind: fc.constant('throw' as const), value: fc.anything() }),
  fc.record({ kind: fc.constant('reject' as const), value: fc.anything() }),
  fc.record({ kind: fc.constant('resolve' as const), value: fc.anything() }),
  fc.record({
    kind: fc.constant('resolve' as const),
    value: fc.record(
      { exitCode: fc.anything(), status: fc.anything(), stdout: fc.anything(), headers: fc.anything() },
      { requiredKeys: [] },
    ),
  }),
  fc.constant({ kind: 'hang' as const, value: undefined }),
);

function misbehave(f: { kind: 'throw' | 'reject' | 'resolve' | 'hang'; value: unknown }): unknown {
  switch (f.kind) {
    case 'throw':
      throw f.value;
    case 'reject':
      return Promise.reject(f.value);
    case 'resolve':
      return Promise.resolve(f.value);
    case 'hang':
      return new Promise(() => undefined);
  }
}

describe('adapter faults become outcomes (never a rejection)', () => {
  test.prop([
    fault,
    fc.constantFrom<LifecycleHandler>(
      { exec: { command: ['x'] } },
      { httpGet: { host: 'h', port: 80, path: '/' } },
      { httpGet: { host: 'h', port: 443, path: '/', scheme: 'HTTPS' } },
    ),
  ])('any thrown / rejected / malformed / hanging adapter result', async (f, handler) => {
    const controller = new AbortController();
    const ctx = makeCtx({
      runtime: fakeRuntime(() => misbehave(f)),
      httpClient: fakeHttp(() => misbehave(f)),
      signal: controller.signal,
    });
    const pending = runHandler(handler, ctx);
    await settle();
    controller.abort(); // settles a hanging adapter; a no-op otherwise
    const outcome = await pending;
    expect(typeof outcome.ok).toBe('boolean');
    if (!outcome.ok) {
      expect(typeof outcome.error).toBe('string');
      expect(typeof outcome.message).toBe('string');
    }
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it('hostile thrown values (throwing getters and toString) are described safely', async () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        getPrototypeOf: () => {
          throw new Error('boom');
        },
      },
    );
    const ctx = makeCtx({ runtime: fakeRuntime(() => Promise.reject(hostile)) });
    await expect(runHandler({ exec: { command: ['x'] } }, ctx)).resolves.toMatchObject({ ok: false });
    const noProto = Object.create(null) as object;
    const ctx2 = makeCtx({ runtime: fakeRuntime(() => Promise.reject(noProto)) });
    await expect(runHandler({ exec: { command: ['x'] } }, ctx2)).resolves.toMatchObject({
      ok: false,
      error: '[object Object]',
    });
  });
});

describe('core purity (DESIGN §2)', () => {
  it('src/hooks uses no node:*, process, global timers or wall clock', () => {
    const dir = new URL('../../src/hooks/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(source, file).not.toMatch(
        /from ['"]node:|\bprocess\.|\b(?:globalThis\.)?set(?:Timeout|Interval|Immediate)\(|Date\.now|performance\.now/,
      );
    }
  });
});
