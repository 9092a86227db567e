import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../docker/sweep.js';
import type { KubeEvent, PodStatus } from '../index.js';

/**
 * The per-user state directory of `kube-lifecycle run` (docs/cli.md, "State directory"):
 * `KUBE_LIFECYCLE_STATE_DIR`, else `$XDG_STATE_HOME/kube-lifecycle`, else
 * `~/.local/state/kube-lifecycle`. One directory per pod, `pods/<namespace>/<name>/`, holds
 * `state.json` ({@link RunState}, rewritten atomically after every change) and `exec.sock`, the
 * socket through which `exec` reaches the `run` process that holds the pod.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['KUBE_LIFECYCLE_STATE_DIR'];
  if (own !== undefined && own !== '') return own;
  const xdg = env['XDG_STATE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'state'), 'kube-lifecycle');
}

/** The kind tag of `state.json`, checked when it is read. */
export const RUN_STATE_KIND = 'kube-lifecycle.RunState/v1';

/** Most events kept in `state.json` (the oldest are dropped first, as the API server's TTL would). */
export const MAX_STATE_EVENTS = 1000;

/** What `run` writes about the pod it holds (`state.json`). Times are wall-clock epoch ms. */
export interface RunState {
  readonly kind: typeof RUN_STATE_KIND;
  readonly pod: { readonly name: string; readonly namespace: string; readonly uid: string };
  /** The `run` process: `describe`/`exec` call the entry stale when it is gone. */
  readonly pid: number;
  /** The runtime holding the containers and the handle of each (the runtime's container id). */
  readonly runtime: {
    readonly name: string;
    readonly description: string;
    readonly containers: Readonly<Record<string, { readonly id: string }>>;
  };
  /** The images of the spec, for `describe` (init containers first). */
  readonly containers: ReadonlyArray<{ readonly name: string; readonly image: string; readonly kind: string }>;
  readonly manifest: string;
  /** The pod IP `run` gave the pod (127.0.0.1 for runtimes without a sandbox); the status's wins. */
  readonly podIP?: string;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Set once a delete began (Ctrl-C or a failed start). */
  readonly terminating: boolean;
  readonly status: PodStatus | undefined;
  readonly events: readonly KubeEvent[];
}

/** Where one pod's state lives. */
export interface PodStatePaths {
  readonly dir: string;
  readonly file: string;
  readonly socket: string;
}

/** The paths of pod `namespace/name` under `root`. */
export function podStatePaths(root: string, namespace: string, name: string): PodStatePaths {
  const dir = join(root, 'pods', safeSegment(namespace), safeSegment(name));
  return { dir, file: join(dir, 'state.json'), socket: join(dir, 'exec.sock') };
}

/** A name as one path segment (pod names are DNS labels already; this only guards `..` and `/`). */
function safeSegment(name: string): string {
  return name === '' || name === '.' || name === '..' ? `_${name}` : name.replace(/[/\\\0]/g, '_');
}

/** Writes `state` to its file atomically: a temporary file in the same directory, then rename. */
export function writeRunState(paths: PodStatePaths, state: RunState): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const temp = `${paths.file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(temp, paths.file);
}

/** Removes a pod's state directory (the pod was deleted, or the entry was stale). */
export function removeRunState(paths: PodStatePaths): void {
  rmSync(paths.dir, { recursive: true, force: true });
}

/** A state entry as read back, with whether the `run` process that wrote it is still alive. */
export interface StoredRunState {
  readonly state: RunState;
  readonly paths: PodStatePaths;
  /** The writer is gone (crashed or killed): the pod's containers may or may not still run. */
  readonly stale: boolean;
}

/** Reads pod `namespace/name`'s entry; `undefined` when there is none (or it is unreadable). */
export function readRunState(root: string, namespace: string, name: string): StoredRunState | undefined {
  const paths = podStatePaths(root, namespace, name);
  let state: RunState;
  try {
    state = JSON.parse(readFileSync(paths.file, 'utf8')) as RunState;
  } catch {
    return undefined;
  }
  if (state === null || typeof state !== 'object' || state.kind !== RUN_STATE_KIND) return undefined;
  return { state, paths, stale: !isProcessAlive(state.pid) };
}

/** Every entry under `root` (all namespaces), for "which pods are there" messages. */
export function listRunStates(root: string): StoredRunState[] {
  const out: StoredRunState[] = [];
  for (const namespace of readdirOrEmpty(join(root, 'pods')))
    for (const name of readdirOrEmpty(join(root, 'pods', namespace))) {
      const entry = readRunState(root, namespace, name);
      if (entry !== undefined) out.push(entry);
    }
  return out;
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
