import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { type DockerPullEvent, DockerRuntime, type DockerRuntimeOptions } from '../docker/index.js';
import type { Pod, Runtime } from '../index.js';
import { OciRuntime, ProcessRuntime } from '../node/index.js';
import { usageError } from './errors.js';
import type { CliIo } from './io.js';

/** A runtime `run` can drive: the port plus `dispose` and a name for the banner. */
export interface RunRuntime {
  readonly runtime: Runtime & { dispose(): Promise<void> };
  /** `local processes (ProcessRuntime)`, … */
  readonly description: string;
  /** Whether the runtime reports exits through `onExit` (else `run` watches `waitContainer`). */
  readonly reportsExits: boolean;
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

/** Builds the runtime `run` was asked for; `onExit` feeds exits of process/oci containers back. */
export function createRunRuntime(
  choice: RunRuntimeChoice,
  _onExit: (ref: { name: string }, status: { exitCode: number }) => void,
): RunRuntime {
  if (choice.name === 'oci')
    return {
      runtime: new OciRuntime({ rootfs: choice.rootfs as string, containerOutput: choice.output }),
      description: 'runc (OciRuntime)',
      reportsExits: false, // exits come from waitContainer (the onExit option is gone)
    };
  if (choice.name === 'process')
    return {
      runtime: new ProcessRuntime({ containerOutput: choice.output }),
      description: 'local processes (ProcessRuntime)',
      reportsExits: false, // exits come from waitContainer (the onExit option is gone)
    };
  const endpoint = dockerEndpoint();
  try {
    return {
      runtime: new DockerRuntime({ ...choice.docker, docker: endpoint }),
      description: `Docker (DockerRuntime, ${'socketPath' in endpoint ? endpoint.socketPath : `${endpoint.host}:${endpoint.port}`})`,
      reportsExits: false,
    };
  } catch (error) {
    throw usageError('run', `--runtime docker: ${(error as Error).message}`);
  }
}

/** The pod IP `run` gives the pod: the sandbox's for Docker, else 127.0.0.1. */
export async function podWithIP(choice: RunRuntimeChoice, runtime: Runtime, pod: Pod): Promise<Pod> {
  let ip = '127.0.0.1';
  if (choice.name === 'docker' && runtime.runPodSandbox !== undefined) {
    const sandbox = await runtime.runPodSandbox(pod, { signal: AbortSignal.timeout(300_000) });
    ip = sandbox.podIP ?? ip;
  }
  return { ...pod, status: { ...pod.status, podIP: ip, podIPs: [{ ip }] } };
}

/**
 * `onPull` for `run --runtime docker`: the kubelet's Pulling/Pulled/Failed lines, and the daemon's
 * progress as one line per layer status (`pull <image>: <layer> Downloading 42% of 3.1 MB`),
 * rewritten in place on a terminal; on a pipe only the lines without a byte count (status changes).
 */
export function pullReporter(io: CliIo): (event: DockerPullEvent) => void {
  let last = '';
  return (e) => {
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
      io.stdout(line);
      last = line;
    } else if (bytes === '') io.stdout(`${line}\n`);
  };
}
