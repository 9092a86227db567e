// A failing exec hook's output is kept up to the CRI's bound, not without limit (issue 18): 16 MiB
// per stream, CRI-O's maxExecSyncSize / the kubelet CRI client's maxMsgSize (spec §5.1: the kubelet
// adds no limit of its own; the runtime's cap bounds it). The detail says what was cut.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/api/types.js';
import { kubernetesPolicy } from '../../src/container/policy.js';
import { capExecOutput, MAX_EXEC_OUTPUT_BYTES, runExecHandler } from '../../src/hooks/exec-handler.js';
import type { HandlerOutcome } from '../../src/hooks/types.js';
import type { ExecResult } from '../../src/ports/runtime.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';

const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'web' }] } };

function runWith(result: ExecResult): Promise<HandlerOutcome> {
  return runExecHandler(
    { command: ['chatty'] },
    {
      pod,
      container: { name: 'web' },
      ref: { id: 'c1', name: 'web', podName: 'p', podNamespace: 'default', podUID: 'u' },
      hook: 'PreStop',
      runtime: {
        startContainer: async () => ({ id: 'c1' }),
        exec: async () => result,
        stopContainer: async () => undefined,
      },
      httpClient: { request: async () => ({ status: 200, headers: {} }) },
      clock: new VirtualClock(),
      kubeletVersion: '1.35',
      policy: kubernetesPolicy,
      signal: new AbortController().signal,
      emit: () => undefined,
    },
  );
}

describe('exec hook output cap (spec §5.1, CRI ExecSync 16 MiB per stream)', () => {
  it('is 16 MiB per stream', () => {
    expect(MAX_EXEC_OUTPUT_BYTES).toBe(16 * 1024 * 1024);
  });

  it('a chatty failing hook: each stream kept to the cap, the detail says it was truncated', async () => {
    const stdout = 'o'.repeat(MAX_EXEC_OUTPUT_BYTES + 1_000);
    const stderr = 'e'.repeat(MAX_EXEC_OUTPUT_BYTES + 7);
    const outcome = await runWith({ exitCode: 1, stdout, stderr });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    // stderr appears twice (in the error and in the output), stdout once: bounded by the cap.
    expect(outcome.message.length).toBeLessThan(3 * MAX_EXEC_OUTPUT_BYTES + 1_000);
    expect(
      outcome.message.endsWith(
        `" (truncated: stdout kept ${MAX_EXEC_OUTPUT_BYTES} of ${MAX_EXEC_OUTPUT_BYTES + 1_000} bytes, ` +
          `stderr kept ${MAX_EXEC_OUTPUT_BYTES} of ${MAX_EXEC_OUTPUT_BYTES + 7} bytes; ` +
          `the runtime's ExecSync cap is ${MAX_EXEC_OUTPUT_BYTES} bytes per stream)`,
      ),
    ).toBe(true);
    expect(outcome.error.length).toBe("command 'chatty' exited with 1: ".length + MAX_EXEC_OUTPUT_BYTES);
  }, 60_000);

  it('output within the cap is kept whole, with the kubelet text and no note', async () => {
    const outcome = await runWith({ exitCode: 2, stdout: 'out', stderr: 'err' });
    expect(outcome).toEqual({
      ok: false,
      error: "command 'chatty' exited with 2: err",
      message:
        'Exec lifecycle hook ([chatty]) for Container "web" in Pod "p_default(u)" failed - error: ' +
        `command 'chatty' exited with 2: err, message: "outerr"`,
    });
  });

  it('cuts on a character boundary, counting UTF-8 bytes', () => {
    expect(capExecOutput('😀😀😀', 9)).toEqual({ text: '😀😀', bytes: 12, isTruncated: true });
    expect(capExecOutput('é'.repeat(5), 5)).toEqual({ text: 'éé', bytes: 10, isTruncated: true });
    expect(capExecOutput('abc', 3)).toMatchObject({ text: 'abc', isTruncated: false });
    expect(capExecOutput('abcd', 3)).toEqual({ text: 'abc', bytes: 4, isTruncated: true });
  });
});
