/**
 * Fixtures of the black-box tests of the real Node adapters (test/contract/node-*.test.ts):
 * temp dirs, servers, shell main processes and a manager wired as docs/adapters.md shows. Importing
 * this module registers an `afterEach` that runs every cleanup a fixture queued (processes,
 * servers, temp dirs), so each test removes what it started.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  type Container,
  type ContainerRef,
  type KubeEvent,
  LifecycleManager,
  type LifecyclePolicy,
  type LifecycleStep,
  type Pod,
} from '../../src/index.js';
import { type ContainerExitStatus, NodeHttpClient, ProcessRuntime } from '../../src/node/index.js';
import { recordExits } from '../node/exit-recorder.js';

export const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) {
    const c = cleanups.pop()!;
    try {
      await c();
    } catch {
      /* best effort */
    }
  }
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kl-contract-node-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function lines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A shell main process: `trap` lines for TERM etc., writes "ready", loops. */
export function shMain(traps: string, dir: string): Pick<Container, 'command' | 'env'> {
  return {
    command: ['sh', '-c', `${traps} echo ready > "$DIR/ready"; while :; do sleep 0.05; done`],
    env: [{ name: 'DIR', value: dir }],
  };
}

export interface Rig {
  runtime: ProcessRuntime;
  manager: LifecycleManager;
  events: KubeEvent[];
  steps: LifecycleStep[];
  exits: Array<{ ref: ContainerRef; status: ContainerExitStatus; at: number }>;
}

/** Wired as docs/adapters.md shows: the manager watches waitContainer; the rig records the exits too. */
export function rig(_pod: Pod, opts: { policy?: LifecyclePolicy; outputCapBytes?: number } = {}): Rig {
  const events: KubeEvent[] = [];
  const steps: LifecycleStep[] = [];
  const exits: Rig['exits'] = [];
  const runtime = recordExits(
    new ProcessRuntime(opts.outputCapBytes !== undefined ? { outputCapBytes: opts.outputCapBytes } : {}),
    (ref, status) => exits.push({ ref, status, at: Date.now() }),
  );
  cleanups.push(() => runtime.dispose());
  const manager = new LifecycleManager({
    runtime,
    httpClient: new NodeHttpClient(),
    ...(opts.policy ? { policy: opts.policy } : {}),
  });
  manager.on('event', (e) => events.push(e));
  manager.on('step', (s) => steps.push(s));
  return { runtime, manager, events, steps, exits };
}

export function pod(containers: Container[], extra: { tgps?: number; name?: string; os?: string } = {}): Pod {
  return {
    metadata: { name: extra.name ?? 'web', namespace: 'default', uid: 'u1' },
    spec: {
      terminationGracePeriodSeconds: extra.tgps ?? 3,
      ...(extra.os !== undefined ? { os: { name: extra.os } } : {}),
      containers,
    },
    status: { podIP: '127.0.0.1' },
  } as Pod;
}

export async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
