import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { type DockerPullEvent, DockerRuntime, type DockerRuntimeOptions } from '../docker/index.js';
import { type Clock, type Pod, type Runtime, systemClock } from '../index.js';
import { OciRuntime, ProcessRuntime } from '../node/index.js';
import { usageError } from './errors.js';
import type { CliIo } from './io.js';

/** A runtime `run` can drive: the port plus `dispose` and a name for the banner. */
export interface RunRuntime {
  readonly runtime: Runtime & { dispose(): Promise<void> };
  /** `local processes (ProcessRuntime)`, … */
  readonly description: string;
}

/** What `run` needs to build a runtime. */
export interface RunRuntimeChoice {
  readonly name: 'process' | 'oci' | 'docker';
  readonly rootfs?: string;
  readonly output: 'inherit' | 'ignore';
  readonly docker?: Pick<DockerRuntimeOptions, 'network' | 'sandboxImage' | 'sandboxCommand' | 'pullPolicy' | 'onPull'>;
}

/** The Docker daemon `DOCKER_HOST` names (unix:// or tcp://), else `/var/run/docker.sock`. */
export function dockerEndpoint(
  env: NodeJS.ProcessEnv = process.env,
): { socketPath: string } | { host: string; port: number } {
  const host = env['DOCKER_HOST'];
  if (host?.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host?.startsWith('tcp://')) {
    const url = new URL(`http://${host.slice('tcp://'.length)}`);
    return { host: url.hostname, port: Number(url.port === '' ? 2375 : url.port) };
  }
  return { socketPath: '/var/run/docker.sock' };
}

/** Whether a Docker daemon answers `GET /_ping` within `timeoutMs` (the `run` default's check). */
export function dockerAnswers(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1000): Promise<boolean> {
  const endpoint = dockerEndpoint(env);
  if ('socketPath' in endpoint && !existsSync(endpoint.socketPath)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Builds the runtime `run` was asked for. Exits reach the pod worker through each adapter's
 * `waitContainer` (no `onExit` callback: the worker owns restarts).
 */
export function createRunRuntime(choice: RunRuntimeChoice): RunRuntime {
  if (choice.name === 'oci')
    return {
      runtime: new OciRuntime({ rootfs: choice.rootfs as string, containerOutput: choice.output }),
      description: 'runc (OciRuntime)',
    };
  if (choice.name === 'process')
    return {
      runtime: new ProcessRuntime({ containerOutput: choice.output }),
      description: 'local processes (ProcessRuntime)',
    };
  const endpoint = dockerEndpoint();
  try {
    return {
      runtime: new DockerRuntime({ ...choice.docker, docker: endpoint }),
      description: `Docker (DockerRuntime, ${'socketPath' in endpoint ? endpoint.socketPath : `${endpoint.host}:${endpoint.port}`})`,
    };
  } catch (error) {
    throw usageError('run', `--runtime docker: ${(error as Error).message}`);
  }
}

/**
 * The pod `run` hands to the worker: runtimes without a sandbox (local processes, runc) share the
 * host's network, so the pod IP is 127.0.0.1; Docker's comes from the sandbox the worker creates.
 */
export function podWithIP(choice: RunRuntimeChoice, pod: Pod): Pod {
  if (choice.name === 'docker') return pod;
  const ip = '127.0.0.1';
  return { ...pod, status: { ...pod.status, podIP: ip, podIPs: [{ ip }] } };
}

/**
 * The clock of `run`: `systemClock`'s timers, read as wall-clock epoch milliseconds (monotonic:
 * the process's time origin plus `performance.now()`), so that status times are real RFC 3339
 * instants and another process (`describe`) can compute an event's age.
 */
export const wallClock: Clock = Object.freeze({
  now: (): number => performance.timeOrigin + performance.now(),
  setTimeout: (callback: () => void, delayMs: number): unknown => systemClock.setTimeout(callback, delayMs),
  clearTimeout: (handle: unknown): void => systemClock.clearTimeout(handle),
  keepAlive: (): (() => void) => (systemClock.keepAlive as () => () => void)(),
});

/**
 * `onPull` for `run --runtime docker`: the kubelet's Pulling/Pulled/Failed lines (with
 * `containerEvents: 'skip'` only the sandbox's: a container's come as manager events), and the daemon's
 * progress as one line per layer status (`pull <image>: <layer> Downloading 42% of 3.1 MB`),
 * rewritten in place on a terminal with a progress bar; on a pipe only the lines without a byte
 * count (status changes).
 */
export function pullReporter(
  io: CliIo,
  options: { containerEvents?: 'print' | 'skip' } = {},
): (event: DockerPullEvent) => void {
  let last = '';
  return (e) => {
    // `run` prints a container's Pulling/Pulled/Failed as the manager's events (spec pod §4.6);
    // the sandbox's (POD) reach no manager event.
    if (e.reason !== 'Progress' && e.container !== 'POD' && options.containerEvents === 'skip') return;
    if (e.reason !== 'Progress') {
      if (last !== '' && io.isTTY) io.control?.('\r\x1b[K');
      last = '';
      io.stdout(`pull  ${e.type.padEnd(7)}  ${e.reason.padEnd(8)}  ${e.container}: ${e.message}\n`);
      return;
    }
    const p = e.progress;
    const bytes =
      p?.currentBytes !== undefined && p.totalBytes !== undefined && p.totalBytes > 0
        ? ` ${Math.floor((100 * p.currentBytes) / p.totalBytes)}% of ${(p.totalBytes / 1e6).toFixed(1)} MB`
        : '';
    const line = `pull  ${e.image}: ${p?.layer === undefined ? '' : `${p.layer} `}${p?.status ?? e.message}${bytes}`;
    if (line === last) return;
    if (io.isTTY && io.control !== undefined) {
      io.control('\r\x1b[K');
      io.stdout(bytes === '' ? line : `${line} ${progressBar((p?.currentBytes ?? 0) / (p?.totalBytes ?? 1))}`);
      last = line;
    } else if (bytes === '') io.stdout(`${line}\n`);
  };
}

/** Width of the pull progress bar, in cells. */
const BAR_CELLS = 24;

/** A text progress bar for `fraction` (clamped to 0..1): `[██████░░░░…]`. */
export function progressBar(fraction: number): string {
  const done = Math.round(Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * BAR_CELLS);
  return `[${'█'.repeat(done)}${'░'.repeat(BAR_CELLS - done)}]`;
}
