/**
 * Shared helpers of the benchmarks: result shape, timing, statistics, machine description, an
 * instant in-memory Runtime (so a benchmark measures the manager, not a fake's bookkeeping), and
 * pod builders. Benchmarks may use anything (node:*, global timers); the core may not.
 */
import { cpus, totalmem } from 'node:os';
import type { Container, Pod } from '../../src/api/types.js';
import type { HttpClient, HttpResponse } from '../../src/ports/http-client.js';
import type { ContainerExit, ContainerRef, ExecResult, Runtime } from '../../src/ports/runtime.js';

/** How a benchmark is run: `short` = tiny sizes, for the CI smoke only (figures meaningless). */
export interface BenchOptions {
  readonly short: boolean;
}

/** One figure of a benchmark. */
export interface Metric {
  readonly value: number;
  readonly unit: string;
}

/** A target a figure is compared against (reported, never a pass/fail of the run). */
export interface Target {
  readonly metric: string;
  readonly op: '<' | '<=';
  readonly value: number;
  readonly unit: string;
  /** Whether the measured value meets it; `undefined` in short mode (sizes too small to mean anything). */
  readonly met: boolean | undefined;
}

/** What a benchmark returns. `correct` false (or a throw) makes `npm run bench` exit non-zero. */
export interface BenchResult {
  readonly name: string;
  readonly title: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly metrics: Readonly<Record<string, Metric>>;
  readonly targets: readonly Target[];
  readonly correct: boolean;
  /** What the correctness check verified, or what it found wrong. */
  readonly check: string;
  readonly notes?: readonly string[];
}

/** A benchmark module's entry point. */
export type Benchmark = (options: BenchOptions) => Promise<BenchResult>;

export const now = (): number => performance.now();

/**
 * CPU time of this process (user + system) in ms. On a machine shared with other work the wall
 * time of a long run stretches with the load; the CPU time much less (it still counts GC threads).
 */
export const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Median of a list of numbers (mean of the two middles for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of an ascending-sorted list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Round to `digits` significant decimals for the report. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function target(
  metric: string,
  value: number | undefined,
  op: Target['op'],
  limit: number,
  unit: string,
  short: boolean,
): Target {
  const met = short || value === undefined ? undefined : op === '<' ? value < limit : value <= limit;
  return { metric, op, value: limit, unit, met };
}

/** Run a full GC (needs `--expose-gc`); a no-op without it, which the runner reports. */
export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect !== undefined) {
    collect();
    collect();
  }
}

export const hasGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';

/** The machine, for the JSON report. */
export function machine(): Record<string, string | number> {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Count adapter calls, to check a manager run made exactly the calls the baseline made. */
export interface CallCounts {
  start: number;
  exec: number;
  stop: number;
}

/**
 * An instant in-memory Runtime: start, exec (exit 0) and stop all resolve at once, and it keeps
 * no per-container state. Every call returns an already-resolved promise, the cheapest an
 * adapter can be, so a benchmark on it measures the caller.
 */
export class InstantRuntime implements Runtime {
  readonly calls: CallCounts = { start: 0, exec: 0, stop: 0 };
  #ids = 0;

  startContainer(_pod: Pod, _container: Container, _options: { signal: AbortSignal }): Promise<{ id: string }> {
    this.calls.start++;
    return Promise.resolve({ id: `c${++this.#ids}` });
  }

  exec(_ref: ContainerRef, _command: readonly string[], _options: { signal: AbortSignal }): Promise<ExecResult> {
    this.calls.exec++;
    return Promise.resolve(EXEC_OK);
  }

  stopContainer(
    _ref: ContainerRef,
    _options: { stopSignal?: string; timeoutSeconds: number; signal: AbortSignal },
  ): Promise<void> {
    this.calls.stop++;
    return Promise.resolve();
  }
}

const EXEC_OK: ExecResult = Object.freeze({ exitCode: 0, stdout: '', stderr: '' });

/** An HTTP client that answers 200 at once. */
export const okHttpClient: HttpClient = {
  request: (): Promise<HttpResponse> => Promise.resolve({ status: 200 }),
};

/** A container with an exec postStart and an exec preStop (the lifecycle-overhead shape). */
export function execHookContainer(name: string): Container {
  return {
    name,
    image: 'nginx:1.27',
    lifecycle: {
      postStart: { exec: { command: ['/bin/sh', '-c', 'echo started > /tmp/ready'] } },
      preStop: { exec: { command: ['/usr/sbin/nginx', '-s', 'quit'] } },
    },
  };
}

/** A pod of `count` containers built by `make`. */
export function podOf(name: string, containers: Container[], tgps = 30): Pod {
  return {
    metadata: { name, namespace: 'bench', uid: `uid-${name}` },
    spec: { terminationGracePeriodSeconds: tgps, containers },
  };
}

/**
 * An instant runtime whose containers exit as soon as they run (a crash loop): like
 * {@link InstantRuntime}, plus `waitContainer`, which answers `{ exitCode }` at once. Keeps no
 * per-container state; counts its calls.
 */
export class CrashingRuntime extends InstantRuntime {
  waits = 0;
  readonly #exit: Readonly<ContainerExit>;

  constructor(exitCode = 1) {
    super();
    this.#exit = Object.freeze({ exitCode });
  }

  waitContainer(_ref: ContainerRef, _options: { signal: AbortSignal }): Promise<ContainerExit> {
    this.waits++;
    return Promise.resolve(this.#exit);
  }
}
