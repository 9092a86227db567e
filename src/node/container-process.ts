/**
 * Pure helpers shared by the node adapters: what the kubelet hands the runtime for a container
 * (argv, environment, ids). No I/O.
 * @module
 */

import type { Container, Pod } from '../api/types.js';
import type { ContainerRef } from '../ports/runtime.js';
import { NodeAdapterError } from './errors.js';

/** The default `PATH` when the base environment has none (the `runc spec` / Docker default). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Expand Kubernetes `$(VAR)` references as the kubelet does before handing a command to the
 * runtime: a defined variable is replaced by its value, an undefined reference is kept verbatim,
 * and `$$` escapes a `$` (so `$$(VAR)` becomes the literal `$(VAR)`).
 */
export function expandKubeVars(input: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = vars.get(name);
      out += value ?? `$(${name})`;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * The container's environment as ordered name/value pairs: `base` first, then `container.env`
 * (literal values; `valueFrom` is not resolved and yields an empty string), each value expanded
 * against the variables defined before it.
 */
export function containerEnv(container: Container, base: Readonly<Record<string, string>>): Map<string, string> {
  const env = new Map<string, string>(Object.entries(base));
  for (const variable of container.env ?? []) {
    env.set(variable.name, expandKubeVars(variable.value ?? '', env));
  }
  return env;
}

/**
 * The argv of the container's main process: `command` then `args`, with `$(VAR)` expanded from
 * `env`. There is no image here, so with neither `command` nor `args` this throws
 * `ERR_NO_COMMAND`; `args` alone is used as the whole argv (Docker semantics without ENTRYPOINT).
 */
export function containerArgv(container: Container, env: ReadonlyMap<string, string>): string[] {
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a) => expandKubeVars(a, env));
  if (argv.length === 0) {
    throw new NodeAdapterError(
      'ERR_NO_COMMAND',
      `container "${container.name}" has no command: set spec.containers[].command (these adapters have no image entrypoint to fall back on)`,
    );
  }
  return argv;
}

/** The {@link ContainerRef} of a started container. */
export function containerRefFor(pod: Pod, container: Container, id: string): ContainerRef {
  return {
    id,
    name: container.name,
    podName: pod.metadata?.name ?? '',
    podNamespace: pod.metadata?.namespace ?? 'default',
    podUID: pod.metadata?.uid ?? '',
  };
}

/**
 * The default container id, in the dockershim form `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`,
 * reduced to the characters an OCI runtime accepts (`[A-Za-z0-9_+.-]`). `attempt` counts the
 * starts of that container in one runtime instance, from 0.
 */
export function defaultContainerId(pod: Pod, container: Container, attempt: number): string {
  const parts = [
    'k8s',
    container.name,
    pod.metadata?.name ?? '',
    pod.metadata?.namespace ?? 'default',
    pod.metadata?.uid ?? '',
    String(attempt),
  ];
  return parts.map((p) => p.replace(/[^A-Za-z0-9+.-]/g, '-')).join('_');
}

/** Render an environment map as `NAME=value` strings (OCI `process.env`). */
export function envList(env: ReadonlyMap<string, string>): string[] {
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** The `ERR_START_FAILED` error of a main process that could not be spawned. */
export function startError(
  container: Container,
  argv: readonly string[],
  id: string,
  error: unknown,
): NodeAdapterError {
  return new NodeAdapterError(
    'ERR_START_FAILED',
    `container "${container.name}": cannot start ${JSON.stringify(argv[0])}: ${execFailure(argv[0] ?? '', error)}`,
    { cause: error, containerId: id },
  );
}

/** runc-like wording for a spawn failure. */
export function execFailure(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `exec: ${JSON.stringify(file)}: executable file not found in $PATH`;
  if (code === 'EACCES') return `exec: ${JSON.stringify(file)}: permission denied`;
  return `exec: ${JSON.stringify(file)}: ${(error as Error).message}`;
}

/** How many (pod, container) start counters a runtime keeps; see {@link AttemptCounter}. */
export const MAX_ATTEMPT_COUNTERS = 4096;

/**
 * Counts the starts of each (pod, container) for the `attempt` of container ids. At most
 * `capacity` counters are kept: past it, the least recently started one whose container is not
 * running (`isRunning(key)` false) is forgotten, so a runtime that starts many pods does not keep
 * a counter for every container it ever started. A forgotten container counts from 0 again.
 */
export class AttemptCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly capacity = MAX_ATTEMPT_COUNTERS) {}

  /** The attempt of the next start of `key` (0 for the first), counted. */
  next(key: string, isRunning: (key: string) => boolean): number {
    const attempt = this.counts.get(key) ?? 0;
    this.counts.delete(key);
    this.counts.set(key, attempt + 1);
    if (this.counts.size > this.capacity) {
      for (const oldest of this.counts.keys()) {
        if (oldest === key || isRunning(oldest)) continue;
        this.counts.delete(oldest);
        break;
      }
    }
    return attempt;
  }

  /** How many counters are kept. */
  get size(): number {
    return this.counts.size;
  }
}

/** The key of {@link AttemptCounter} for a container of a pod. */
export function attemptKey(pod: Pod, container: Container): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}/${pod.metadata?.uid ?? ''}/${container.name}`;
}
