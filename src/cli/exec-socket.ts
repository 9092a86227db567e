import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type ContainerRef, type ExecResult, errorText, type Runtime } from '../index.js';

/**
 * The `exec` protocol between `kube-lifecycle exec` and the `run` process that holds the pod, over
 * the unix socket `exec.sock` of the pod's state directory: one JSON line each way.
 * Request `{ "container"?: string, "command": string[] }`; answer
 * `{ "exitCode", "stdout", "stderr", "container" }` or `{ "error": string }`.
 * The `run` process execs through its own runtime (`Runtime.exec`), so `exec` works the same for
 * local processes, runc and Docker, and output is capped as the runtime caps hook output.
 */
export interface ExecRequest {
  readonly container?: string;
  readonly command: readonly string[];
}

/** The answer to an {@link ExecRequest}. */
export type ExecAnswer = (ExecResult & { readonly container: string }) | { readonly error: string };

/** Largest request line the server reads. */
const MAX_REQUEST_BYTES = 256 * 1024;

/** How the server finds a container's handle: a ref, or why there is none. */
export type ResolveContainer = (name: string | undefined) => { ref: ContainerRef } | { error: string };

/**
 * Serves exec requests on `socketPath` (a stale socket file is replaced). `close()` stops
 * listening, aborts execs in flight and removes the socket file.
 */
export async function serveExec(
  socketPath: string,
  runtime: Pick<Runtime, 'exec'>,
  resolve: ResolveContainer,
): Promise<{ close(): void }> {
  const inFlight = new AbortController();
  const server: Server = createServer((socket) => handle(socket, runtime, resolve, inFlight.signal));
  rmSync(socketPath, { force: true });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(socketPath, () => {
      server.off('error', fail);
      ok();
    });
  });
  server.unref();
  return {
    close() {
      inFlight.abort(new Error('the run process is ending'));
      server.close();
      rmSync(socketPath, { force: true });
    },
  };
}

function handle(
  socket: Socket,
  runtime: Pick<Runtime, 'exec'>,
  resolve: ResolveContainer,
  stopping: AbortSignal,
): void {
  let input = '';
  const answer = (a: ExecAnswer): void => void socket.end(`${JSON.stringify(a)}\n`);
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  socket.on('data', (chunk: string) => {
    input += chunk;
    if (input.length > MAX_REQUEST_BYTES) {
      answer({ error: `request larger than ${MAX_REQUEST_BYTES} bytes` });
      socket.removeAllListeners('data');
      return;
    }
    const nl = input.indexOf('\n');
    if (nl < 0) return;
    socket.removeAllListeners('data');
    let request: ExecRequest;
    try {
      request = JSON.parse(input.slice(0, nl)) as ExecRequest;
    } catch {
      answer({ error: 'the request is not JSON' });
      return;
    }
    const command = request?.command;
    if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string')) {
      answer({ error: 'command: expected a non-empty list of strings' });
      return;
    }
    const found = resolve(typeof request.container === 'string' ? request.container : undefined);
    if ('error' in found) {
      answer(found);
      return;
    }
    // The client hanging up (Ctrl-C on exec) or run ending aborts the command.
    const abort = new AbortController();
    socket.on('close', () => abort.abort(new Error('exec client disconnected')));
    const signal = AbortSignal.any([abort.signal, stopping]);
    runtime.exec(found.ref, command, { signal }).then(
      (r) =>
        answer({
          container: found.ref.name,
          exitCode: r.exitCode,
          ...(r.stdout === undefined ? {} : { stdout: r.stdout }),
          ...(r.stderr === undefined ? {} : { stderr: r.stderr }),
        }),
      (error: unknown) => answer({ error: errorText(error) }),
    );
  });
}

/** Sends one request to the `run` process listening on `socketPath`; rejects when none listens. */
export function requestExec(socketPath: string, request: ExecRequest, signal?: AbortSignal): Promise<ExecAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let output = '';
    const onAbort = (): void => {
      socket.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      output += chunk;
    });
    socket.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    socket.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      try {
        resolve(JSON.parse(output) as ExecAnswer);
      } catch {
        reject(new Error('the run process answered something that is not JSON'));
      }
    });
  });
}
