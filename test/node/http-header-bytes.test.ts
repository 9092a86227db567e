// Header values as Go sends them (issue 18): Go's httpguts.ValidHeaderFieldValue accepts every byte
// ≥ 0x80 and refuses control bytes other than tab (spec §5.2 Headers). A hook's `X-Emoji: 😀` goes
// on the wire as its UTF-8 bytes; a value with CR/LF/NUL/DEL is refused before anything is sent.
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTTPHeader, Pod } from '../../src/api/types.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import { runHandler } from '../../src/hooks/run-handler.js';
import type { HandlerOutcome } from '../../src/hooks/types.js';
import { NodeHttpClient } from '../../src/node/node-http-client.js';
import { systemClock } from '../../src/ports/system-clock.js';

const received: Buffer[] = [];
const server = createServer((req: IncomingMessage, res) => {
  // Node decodes header bytes as latin1: one char per byte, so this recovers the raw bytes.
  const raw = req.rawHeaders[req.rawHeaders.findIndex((h) => h.toLowerCase() === 'x-value') + 1] ?? '';
  received.push(Buffer.from(raw, 'latin1'));
  res.end('ok');
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function runHook(value: string): Promise<HandlerOutcome> {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'web' }] },
    status: { podIP: '127.0.0.1' },
  };
  const httpHeaders: HTTPHeader[] = [{ name: 'X-Value', value }];
  return runHandler(
    { httpGet: { port, path: '/hook', scheme: 'HTTP', httpHeaders } },
    {
      pod,
      container: { name: 'web' },
      ref: { id: 'c1', name: 'web', podName: 'p', podNamespace: 'default', podUID: 'u' },
      hook: 'PreStop',
      runtime: {
        startContainer: async () => ({ id: 'c1' }),
        exec: async () => ({ exitCode: 0 }),
        stopContainer: async () => undefined,
      },
      httpClient: new NodeHttpClient(),
      clock: systemClock,
      kubeletVersion: '1.35',
      policy: kubernetesPolicy,
      signal: new AbortController().signal,
      emit: () => undefined,
    },
  );
}

describe('httpGet header values follow Go net/http (spec §5.2, httpguts.ValidHeaderFieldValue)', () => {
  it.each(['😀', 'café', 'naïve ✓ 日本', 'tab\there', '\u00ff'])(
    'sends %j as its UTF-8 bytes, as Go does',
    async (value) => {
      received.length = 0;
      const outcome = await runHook(value);
      expect(outcome).toEqual({ ok: true });
      expect(received).toHaveLength(1);
      expect(received[0]?.equals(Buffer.from(value, 'utf8'))).toBe(true);
    },
  );

  it.each(['a\r\nX-Injected: 1', 'nul\u0000', 'del\u007f', 'bell\u0007'])(
    'refuses %j before sending, with Go transport text',
    async (value) => {
      received.length = 0;
      const outcome = await runHook(value);
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? '' : outcome.error).toBe(
        `Get "http://127.0.0.1:${port}/hook": net/http: invalid header field value for "X-Value"`,
      );
      expect(received).toHaveLength(0);
    },
  );
});
