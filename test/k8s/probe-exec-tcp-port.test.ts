/**
 * Port of Kubernetes' `pkg/probe/exec/exec_test.go` (stored copy id 286079882: the cri-client era,
 * `remote.ErrCommandTimedOut` and the `ExecProbeTimeout` gate, ≥1.31) and `pkg/probe/tcp/tcp_test.go`
 * (kubernetes/kubernetes @11efca8f; same two cases as every earlier copy) — spec pod §6.2.
 *
 * Mapping for exec: Go's `FakeCmd` stands for the CRI `ExecSync` behind `prober.newExecInContainer`;
 * here a scripted `Runtime.exec` plays it, and each case runs through both exec paths of the core:
 * `runExecProbe` (general path) and `ExecProber` (a worker's exec probe). A `CodeExitError` is an
 * `ExecResult` with that `exitCode`; another error is a rejection; the CRI `DeadlineExceeded` is the
 * probe's own deadline on the VirtualClock (the core's stand-in for it).
 *
 * Mapping for tcp: `tcp.Probe(host, port, 1s)` → `runTcpSocketProbe` over the real `NodeTcpDialer`
 * against a loopback `node:http` server.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../src/api/types.js';
import { NodeTcpDialer } from '../../src/node/node-tcp-dialer.js';
import { systemClock } from '../../src/ports/system-clock.js';
import { runExecProbe } from '../../src/probes/exec-probe.js';
import { ExecProber } from '../../src/probes/exec-prober.js';
import type { ProbeOutcome } from '../../src/probes/probe-outcome.js';
import { runTcpSocketProbe } from '../../src/probes/tcp-probe.js';
import { VirtualClock } from '../../src/testing/virtual-clock.js';
import { startHttpServer, type TestServer } from '../node/helpers/servers.js';
import { execRuntime, hang, makeContext, makeRef } from '../probes/helpers.js';

const app: Container = { name: 'app' };
const tenKilobyte = 'logs-123'.repeat(128 * 10); // 10240 bytes
const elevenKilobyte = 'logs-123'.repeat(8 * 128 * 11); // more than 10 KiB

type Exec = (signal: AbortSignal) => Promise<{ exitCode: number; stdout?: string; stderr?: string }>;

/** Run `command` with `exec` as the runtime on both exec paths; advance `advanceMs` on the clock. */
async function bothPaths(exec: Exec, command = ['testcmd'], advanceMs = 0): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const path of ['runExecProbe', 'ExecProber'] as const) {
    const clock = new VirtualClock();
    const runtime = execRuntime((_c, signal) => exec(signal));
    const pending =
      path === 'runExecProbe'
        ? runExecProbe(command, 1, makeContext(app, { runtime, clock }))
        : new ExecProber(command, app.env, 1, clock, runtime, { isStopped: false }).run(makeRef());
    if (advanceMs > 0) await clock.advance(advanceMs);
    outcomes.push(await pending);
  }
  return outcomes;
}

describe('TestExec (pkg/probe/exec/exec_test.go; spec pod §6.2 exec)', () => {
  it('Ok: exit 0 with output "OK" → Success, output "OK", no error', async () => {
    const outcomes = await bothPaths(() => Promise.resolve({ exitCode: 0, stdout: 'OK' }));
    expect(outcomes).toEqual([
      { result: 'success', output: 'OK' },
      { result: 'success', output: 'OK' },
    ]);
  });

  it('Ok: an ExitError with status 0 → Success, output "OK"', async () => {
    const outcomes = await bothPaths(() => Promise.resolve({ exitCode: 0, stdout: 'O', stderr: 'K' }));
    expect(outcomes.map((o) => [o.result, o.output])).toEqual([
      ['success', 'OK'],
      ['success', 'OK'],
    ]);
  });

  it('Ok - truncated output: more than 10 KiB is cut to maxReadLength (10240 bytes)', async () => {
    const outcomes = await bothPaths(() => Promise.resolve({ exitCode: 0, stdout: elevenKilobyte }));
    expect(outcomes).toEqual([
      { result: 'success', output: tenKilobyte },
      { result: 'success', output: tenKilobyte },
    ]);
  });

  it('Run returns error → Unknown, output "", with the error (the errored path)', async () => {
    const outcomes = await bothPaths(() => Promise.reject(new Error('test error')));
    for (const o of outcomes) expect(o).toMatchObject({ result: 'unknown', output: '', error: 'test error' });
  });

  it('Unhealthy: exit 1 → Failure with the output, no error', async () => {
    expect(await bothPaths(() => Promise.resolve({ exitCode: 1 }))).toEqual([
      { result: 'failure', output: '' },
      { result: 'failure', output: '' },
    ]);
    expect(await bothPaths(() => Promise.resolve({ exitCode: 1, stdout: 'Fail' }))).toEqual([
      { result: 'failure', output: 'Fail' },
      { result: 'failure', output: 'Fail' },
    ]);
  });

  it('Timeout → Failure, no error (ExecProbeTimeout on; the runtime call is abandoned)', async () => {
    const outcomes = await bothPaths((signal) => hang(signal), ['testcmd'], 1000);
    for (const o of outcomes) {
      expect(o.result).toBe('failure');
      expect(o.error).toBeUndefined();
    }
  });

  // 1.35's exec prober returns err.Error() of cri-client's ExecSync timeout,
  // `fmt.Errorf("%w: %q timed out after %s", ErrCommandTimedOut, strings.Join(cmd, " "), timeout)`.
  it('Timeout output is err.Error(): `command timed out: "testcmd" timed out after 1s` (spec pod §6.2)', async () => {
    const outcomes = await bothPaths((signal) => hang(signal), ['testcmd'], 1000);
    for (const o of outcomes) expect(o.output).toBe('command timed out: "testcmd" timed out after 1s');
  });
});

describe('TestTcpHealthChecker (pkg/probe/tcp/tcp_test.go; spec pod §6.2 tcpSocket)', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const tcpCtx = () => makeContext(app, { tcpDialer: new NodeTcpDialer(), clock: systemClock as never });

  it('a connection is made → Success, no error', async () => {
    const server = await startHttpServer();
    servers.push(server);
    expect(await runTcpSocketProbe({ port: server.port, host: '127.0.0.1' }, 1, tcpCtx())).toEqual({
      result: 'success',
      output: '',
    });
  });

  it('no connection can be made → Failure with the dial error, no error', async () => {
    // Go dials port -1 ("dial tcp: address -1: invalid port"). The kubelet resolves the port first
    // (ResolveContainerPort rejects -1 as an error), so the probe path here uses a closed port, and
    // the adapter alone is given -1.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await runTcpSocketProbe({ port, host: '127.0.0.1' }, 1, tcpCtx())).toEqual({
      result: 'failure',
      output: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
    const signal = new AbortController().signal;
    await expect(new NodeTcpDialer().connect('127.0.0.1', -1, { signal })).rejects.toBeInstanceOf(Error);
  });
});
