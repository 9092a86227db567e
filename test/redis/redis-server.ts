/**
 * A throwaway redis-server for the tests: a free port, no persistence (`--save '' --appendonly no`),
 * stopped by its pid. `startRedis()` answers `undefined` (with the reason printed once) when
 * `redis-server` is not installed, so a suite can skip; `.ci/run` installs it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** Why the Redis tests are skipped on this machine, or `undefined` when redis-server is there. */
export const redisMissing: string | undefined = (() => {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return undefined;
  const reason = `redis-server is not installed (${probe.error?.message ?? `exit ${probe.status}`}); the Redis tests are skipped. Install it: apt-get install redis-server`;
  console.warn(reason);
  return reason;
})();

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** The pid of the current process (it changes on restart). */
  pid(): number;
  /** Kill it (SIGKILL, by pid) and wait for the exit; data is lost, as in a crash. */
  kill(): Promise<void>;
  /** Start it again on the same port (empty). */
  start(): Promise<void>;
  /** Stop it for good (SIGTERM by pid, then SIGKILL after 2 s). */
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Start a redis-server on a free port, or `undefined` when it is not installed. */
export async function startRedis(): Promise<RedisServer | undefined> {
  if (redisMissing !== undefined) return undefined;
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    for (let i = 0; i < 100; i++) {
      if (await ping(port)) return;
      if (proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer PING within 5 s: ${stderr}`);
  };
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (proc?.pid === undefined) return;
    const gone = exited(proc);
    process.kill(proc.pid, name);
    await gone;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => child?.pid ?? -1,
    kill: () => signal('SIGKILL'),
    start,
    stop: async () => {
      const proc = child;
      if (proc?.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = exited(proc);
      process.kill(proc.pid, 'SIGTERM');
      const timer = setTimeout(() => proc.pid !== undefined && process.kill(proc.pid, 'SIGKILL'), 2_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
