// Exec handler (spec §5.1) through runHandler.
import { describe, expect, it } from 'vitest';
import { runHandler } from '../../src/hooks/index.js';
import { settle } from '../support/settle.js';
import { fakeRuntime, makeCtx } from './helpers.js';

describe('exec handler (spec §5.1)', () => {
  it('runs the argv as given against the container ref; exit 0 succeeds', async () => {
    const runtime = fakeRuntime(() => Promise.resolve({ exitCode: 0, stdout: 'ok' }));
    const ctx = makeCtx({ runtime });
    await expect(runHandler({ exec: { command: ['ls', '-a'] } }, ctx)).resolves.toEqual({ ok: true });
    expect(runtime.calls).toEqual([{ ref: ctx.ref, command: ['ls', '-a'] }]);
  });

  it('non-zero exit: CRI error text, output = stdout then stderr, %q-escaped', async () => {
    const runtime = fakeRuntime(() =>
      Promise.resolve({ exitCode: 2, stdout: 'out "1"\t\u0000é\u00a0\n', stderr: 'bad input' }),
    );
    const outcome = await runHandler({ exec: { command: ['sh', '-c', 'exit 2'] } }, makeCtx({ runtime }));
    expect(outcome).toMatchInlineSnapshot(`
      {
        "error": "command 'sh -c exit 2' exited with 2: bad input",
        "message": "Exec lifecycle hook ([sh -c exit 2]) for Container "containerFoo" in Pod "podFoo_nsFoo(foo-bar-quux)" failed - error: command 'sh -c exit 2' exited with 2: bad input, message: "out \\"1\\"\\t\\x00é\\u00a0\\nbad input"",
        "ok": false,
      }
    `);
  });

  it('TestRunHandlerExecFailure [HT]: a runtime error passes through; no output', async () => {
    const runtime = fakeRuntime(() => Promise.reject(new Error('invalid command')));
    const outcome = await runHandler({ exec: { command: ['ls', '--a'] } }, makeCtx({ runtime }));
    expect(outcome).toEqual({
      ok: false,
      error: 'invalid command',
      message:
        'Exec lifecycle hook ([ls --a]) for Container "containerFoo" in Pod "podFoo_nsFoo(foo-bar-quux)" failed - error: invalid command, message: ""',
    });
  });

  it('negative exit codes are reported as given', async () => {
    const runtime = fakeRuntime(() => Promise.resolve({ exitCode: -1 }));
    const outcome = await runHandler({ exec: { command: ['x'] } }, makeCtx({ runtime }));
    expect(outcome.ok === false && outcome.error).toBe("command 'x' exited with -1: ");
  });

  it.each<[string, unknown, string]>([
    [
      'exit code 1.5',
      { exitCode: 1.5 },
      'runtime returned a malformed ExecSync result: exitCode 1.5 is not an integer',
    ],
    [
      'exit code NaN',
      { exitCode: Number.NaN },
      'runtime returned a malformed ExecSync result: exitCode NaN is not an integer',
    ],
    ['exit code missing', {}, 'runtime returned a malformed ExecSync result: exitCode undefined is not an integer'],
    [
      'exit code as string',
      { exitCode: '0' },
      'runtime returned a malformed ExecSync result: exitCode "0" is not an integer',
    ],
    [
      'stdout not a string',
      { exitCode: 0, stdout: 42 },
      'runtime returned a malformed ExecSync result: stdout is not a string',
    ],
    ['null result', null, 'runtime returned a malformed ExecSync result: null'],
    ['undefined result', undefined, 'runtime returned a malformed ExecSync result: undefined'],
  ])('malformed result (%s) is a failure, not a throw', async (_name, result, error) => {
    const outcome = await runHandler(
      { exec: { command: ['x'] } },
      makeCtx({ runtime: fakeRuntime(() => Promise.resolve(result)) }),
    );
    expect(outcome).toMatchObject({ ok: false, error });
  });

  it('an abort settles at once even if the runtime never does (context canceled)', async () => {
    const controller = new AbortController();
    const ctx = makeCtx({ runtime: fakeRuntime(() => new Promise(() => undefined)), signal: controller.signal });
    const pending = runHandler({ exec: { command: ['sleep', '1000'] } }, ctx);
    await settle();
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, error: 'context canceled' });
    expect(ctx.clock.pendingTimers).toBe(0);
  });

  it('an abort with a TimeoutError reason reads context deadline exceeded; a late rejection is absorbed', async () => {
    const controller = new AbortController();
    let rejectLate: (e: unknown) => void = () => undefined;
    const runtime = fakeRuntime(
      () =>
        new Promise((_, reject) => {
          rejectLate = reject;
        }),
    );
    const pending = runHandler({ exec: { command: ['x'] } }, makeCtx({ runtime, signal: controller.signal }));
    await settle();
    controller.abort(new DOMException('timed out', 'TimeoutError'));
    await expect(pending).resolves.toMatchObject({ ok: false, error: 'context deadline exceeded' });
    rejectLate(new Error('late'));
    await settle();
  });

  it('an already-aborted signal never calls the runtime', async () => {
    const runtime = fakeRuntime(() => Promise.resolve({ exitCode: 0 }));
    const outcome = await runHandler({ exec: { command: ['x'] } }, makeCtx({ runtime, signal: AbortSignal.abort() }));
    expect(outcome).toMatchObject({ ok: false, error: 'context canceled' });
    expect(runtime.calls).toHaveLength(0);
  });
});
