/**
 * Scriptable fakes of the probe ports, on an injected clock: `FakeTcpDialer` and
 * `FakeGrpcHealthChecker`. Each target (`host:port`, plus the service for gRPC) follows a
 * {@link ProbeScript}; every call is recorded.
 *
 * @module
 */

import type { Clock } from '../ports/clock.js';
import { sleepOn } from '../ports/clock.js';
import type { GrpcHealthChecker } from '../ports/grpc-health-checker.js';
import type { TcpDialer } from '../ports/tcp-dialer.js';
import type { ProbeScript, ProbeVerdict } from './probe-scripts.js';
import { passAlways } from './probe-scripts.js';

/** Options of the probe-port fakes. */
export interface FakeProbePortOptions {
  readonly clock: Clock;
  /** The script of a target that has none of its own. @default passAlways */
  readonly defaultScript?: ProbeScript | undefined;
  /** Time each answer takes on the clock. @default 0 */
  readonly latencyMs?: number | undefined;
}

/** One recorded call. */
export interface ProbePortCall {
  readonly host: string;
  readonly port: number;
  /** The gRPC service (always `''` for TCP). */
  readonly service: string;
  readonly at: number;
  /** The verdict the script gave. */
  readonly verdict: ProbeVerdict;
}

abstract class ScriptedTargets {
  /** Every call, in order. */
  readonly calls: ProbePortCall[] = [];
  private readonly scripts = new Map<string, ProbeScript>();
  private readonly origin: number;

  constructor(protected readonly options: FakeProbePortOptions) {
    this.origin = options.clock.now();
  }

  protected key(host: string, port: number, service: string): string {
    return `${host}|${port}|${service}`;
  }

  protected setScript(host: string, port: number, service: string, script: ProbeScript): void {
    this.scripts.set(this.key(host, port, service), script);
  }

  /** Record the call, then wait the latency and give the verdict (or hang until `signal` aborts). */
  protected async answer(host: string, port: number, service: string, signal: AbortSignal): Promise<'pass' | 'fail'> {
    const { clock } = this.options;
    const script =
      this.scripts.get(this.key(host, port, service)) ??
      this.scripts.get(this.key('*', port, service)) ??
      this.options.defaultScript ??
      passAlways;
    const verdict = script(clock.now() - this.origin);
    this.calls.push({ host, port, service, at: clock.now(), verdict });
    if (signal.aborted) throw signal.reason;
    if (verdict === 'hang') {
      await new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
      );
    }
    if ((this.options.latencyMs ?? 0) > 0) await sleepOn(clock, this.options.latencyMs ?? 0, signal);
    return verdict === 'pass' ? 'pass' : 'fail';
  }
}

/**
 * A `TcpDialer` whose targets follow scripts: `pass` connects, `fail` rejects with Go's
 * `dial tcp <host:port>: connect: connection refused`, `hang` waits until the signal aborts.
 *
 * @example
 * const dialer = new FakeTcpDialer({ clock }).script('10.0.0.7', 8080, failFrom(30_000));
 */
export class FakeTcpDialer extends ScriptedTargets implements TcpDialer {
  /** Script the target `host:port` (`host` `'*'`: any host on that port). Returns `this`. */
  script(host: string, port: number, script: ProbeScript): this {
    this.setScript(host, port, '', script);
    return this;
  }

  async connect(host: string, port: number, options: { signal: AbortSignal }): Promise<void> {
    const verdict = await this.answer(host, port, '', options.signal);
    if (verdict === 'fail') {
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      throw new Error(`dial tcp ${address}: connect: connection refused`);
    }
  }
}

/**
 * A `GrpcHealthChecker` whose targets follow scripts: `pass` answers `SERVING`, `fail` answers
 * `NOT_SERVING`, `hang` waits until the signal aborts.
 *
 * @example
 * const checker = new FakeGrpcHealthChecker({ clock }).script('*', 9090, '', flapEvery(2, 10));
 */
export class FakeGrpcHealthChecker extends ScriptedTargets implements GrpcHealthChecker {
  /** Script the target `host:port` and `service` (`host` `'*'`: any host). Returns `this`. */
  script(host: string, port: number, service: string, script: ProbeScript): this {
    this.setScript(host, port, service, script);
    return this;
  }

  async check(host: string, port: number, service: string, options: { signal: AbortSignal }): Promise<string> {
    return (await this.answer(host, port, service, options.signal)) === 'pass' ? 'SERVING' : 'NOT_SERVING';
  }
}
