/**
 * A Docker daemon for the adapter tests: the one `DOCKER_HOST` (or /var/run/docker.sock) names
 * when it answers, else a private `dockerd` started here (vfs storage, no iptables, no bridge, its
 * own data/exec roots and socket under a short /tmp dir) and stopped by its pid at the end.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';

/** A daemon the tests may use. `stop` stops it if this process started it. */
export interface TestDaemon {
  readonly socketPath: string;
  readonly docker: Docker;
  /** Whether this process started the daemon (a private dockerd). */
  readonly isPrivate: boolean;
  stop(): Promise<void>;
}

/** The daemon, or why there is none. */
export type DaemonAvailability =
  | { readonly isAvailable: true; readonly daemon: TestDaemon }
  | { readonly isAvailable: false; readonly reason: string };

const DOCKERD_CANDIDATES = ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd'];

async function answers(socketPath: string): Promise<boolean> {
  if (!existsSync(socketPath)) return false;
  try {
    await new Docker({ socketPath, timeout: 3000 }).ping();
    return true;
  } catch {
    return false;
  }
}

function socketFromEnv(): string | undefined {
  const host = process.env['DOCKER_HOST'];
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** dockerd leaves its default netns (an nsfs mount) under the exec root: unmount what is under `dir`. */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target.startsWith(`${dir}/`))
    .reverse();
  for (const target of mounts) {
    try {
      execFileSync('umount', [target]);
    } catch {
      // already gone
    }
  }
}

/** Start a private dockerd; resolves once it answers. */
async function startPrivate(dockerd: string): Promise<TestDaemon> {
  const dir = mkdtempSync('/tmp/kld-'); // short: a Unix socket path is limited to 107 bytes
  const socketPath = join(dir, 'docker.sock');
  const pidfile = join(dir, 'docker.pid');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const child: ChildProcess = spawn(
    dockerd,
    [
      '--storage-driver=vfs',
      '--iptables=false',
      '--ip-masq=false',
      '--bridge=none',
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--host=unix://${socketPath}`,
      `--pidfile=${pidfile}`,
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  child.unref();
  const pid = child.pid ?? -1;
  const stop = async (): Promise<void> => {
    if (isAlive(pid)) {
      process.kill(pid, 'SIGTERM');
      if (!(await waitFor(() => !isAlive(pid), 20_000))) process.kill(pid, 'SIGKILL');
      await waitFor(() => !isAlive(pid), 5_000);
    }
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitFor(() => answers(socketPath), 30_000))) {
    const tail = readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-5).join('\n');
    await stop();
    throw new Error(`the private dockerd (pid ${pid}) did not answer within 30 s; its log ends:\n${tail}`);
  }
  return { socketPath, docker: new Docker({ socketPath }), isPrivate: true, stop };
}

/**
 * The daemon for the Docker tests: `DOCKER_HOST` (unix) or /var/run/docker.sock when it answers,
 * else a private dockerd (root only). In CI, no daemon at all is an error, never a silent skip.
 */
export async function acquireDaemon(): Promise<DaemonAvailability> {
  for (const socketPath of [socketFromEnv(), '/var/run/docker.sock']) {
    if (socketPath !== undefined && (await answers(socketPath)))
      return {
        isAvailable: true,
        daemon: { socketPath, docker: new Docker({ socketPath }), isPrivate: false, stop: async () => undefined },
      };
  }
  const dockerd = DOCKERD_CANDIDATES.find((p) => existsSync(p));
  const reason =
    dockerd === undefined
      ? 'no Docker daemon answers and dockerd is not installed (apt-get install -y docker.io)'
      : process.getuid?.() !== 0
        ? 'no Docker daemon answers, and starting a private dockerd needs root'
        : undefined;
  if (reason === undefined) return { isAvailable: true, daemon: await startPrivate(dockerd as string) };
  if (process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false')
    throw new Error(`Docker adapter tests cannot run in CI: ${reason}`);
  console.warn(`skipping DockerRuntime tests: ${reason}`);
  return { isAvailable: false, reason };
}
